<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>SandboxLauncher</name>
    <message>
        <source>forecast-sandbox was not found next to forecast-dashboard (%1) or on PATH. Build it (ninja forecast-sandbox) or install the retail-forecast package.</source>
        <translation>在 forecast-dashboard 所在目录（%1）和 PATH 中都找不到 forecast-sandbox。请构建它（ninja forecast-sandbox）或安装 retail-forecast 软件包。</translation>
    </message>
    <message>
        <source>Cannot create the sandbox folder %1.</source>
        <translation>无法创建沙箱目录 %1。</translation>
    </message>
    <message>
        <source>Cannot start %1: %2</source>
        <translation>无法启动 %1：%2</translation>
    </message>
    <message>
        <source>forecast-sandbox exited with code %1 while starting; its log is %2.</source>
        <translation>forecast-sandbox 启动时退出，退出码 %1；其日志位于 %2。</translation>
    </message>
    <message>
        <source>forecast-sandbox did not start within %1 s; its log is %2.</source>
        <translation>forecast-sandbox 未能在 %1 秒内启动；其日志位于 %2。</translation>
    </message>
</context>
<context>
    <name>dashboard</name>
    <message>
        <source>Watch a retail-forecast Deployment on Kubernetes: rollout, pods, ReplicaSets, autoscaling and events, the way kubectl reports them.</source>
        <translation>监视 Kubernetes 上的 retail-forecast Deployment：上线、Pod、ReplicaSet、自动扩缩和事件，呈现方式与 kubectl 一致。</translation>
    </message>
    <message>
        <source>Show this help and exit.</source>
        <translation>显示本帮助并退出。</translation>
    </message>
    <message>
        <source>Show the version and exit.</source>
        <translation>显示版本并退出。</translation>
    </message>
    <message>
        <source>Kubeconfig file to use instead of KUBECONFIG or ~/.kube/config.</source>
        <translation>要使用的 kubeconfig 文件（代替 KUBECONFIG 或 ~/.kube/config）。</translation>
    </message>
    <message>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Kubeconfig context to use.</source>
        <translation>要使用的 kubeconfig 上下文。</translation>
    </message>
    <message>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Namespace of the workload (default: the context&apos;s).</source>
        <translation>工作负载所在的命名空间（默认：上下文的命名空间）。</translation>
    </message>
    <message>
        <source>namespace</source>
        <translation>命名空间</translation>
    </message>
    <message>
        <source>Deployment to watch (default: retail-forecast-api).</source>
        <translation>要监视的 Deployment（默认：retail-forecast-api）。</translation>
    </message>
    <message>
        <source>Start a local forecast-sandbox and connect to it.</source>
        <translation>启动本地 forecast-sandbox 并连接到它。</translation>
    </message>
    <message>
        <source>With --sandbox: leave the sandbox running on exit.</source>
        <translation>与 --sandbox 一起使用：退出时让沙箱继续运行。</translation>
    </message>
    <message>
        <source>Render the window once data has loaded, save it as PNG and exit.</source>
        <translation>数据加载完成后渲染窗口，保存为 PNG 并退出。</translation>
    </message>
    <message>
        <source>Seconds to wait for data before saving the screenshot anyway (default 20).</source>
        <translation>等待数据加载的秒数，超时后照常保存截图（默认 20）。</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>秒数</translation>
    </message>
    <message>
        <source>User interface language, e.g. en or zh_CN.</source>
        <translation>界面语言，例如 en 或 zh_CN。</translation>
    </message>
    <message>
        <source>language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Try --help.</source>
        <translation>请使用 --help 查看用法。</translation>
    </message>
    <message>
        <source>Unexpected argument: %1</source>
        <translation>意外的参数：%1</translation>
    </message>
    <message>
        <source>--deployment needs a name.</source>
        <translation>--deployment 需要一个名称。</translation>
    </message>
    <message>
        <source>--screenshot-timeout needs a whole number of seconds, at least 1.</source>
        <translation>--screenshot-timeout 需要一个整数秒数，至少为 1。</translation>
    </message>
    <message>
        <source>Cannot write the screenshot to %1: the folder %2 does not exist.</source>
        <translation>无法将截图写入 %1：目录 %2 不存在。</translation>
    </message>
    <message>
        <source>--keep-sandbox only makes sense with --sandbox.</source>
        <translation>--keep-sandbox 只能与 --sandbox 一起使用。</translation>
    </message>
    <message>
        <source>--sandbox writes its own kubeconfig: do not combine it with --kubeconfig.</source>
        <translation>--sandbox 会写入自己的 kubeconfig：请勿与 --kubeconfig 同时使用。</translation>
    </message>
    <message>
        <source>No kubeconfig was found, so there is no cluster to connect to.</source>
        <translation>未找到 kubeconfig，因此没有可连接的集群。</translation>
    </message>
    <message>
        <source>Start the dashboard with --kubeconfig FILE, set KUBECONFIG, create ~/.kube/config, or run forecast-dashboard --sandbox to use a local sandbox cluster.</source>
        <translation>请使用 --kubeconfig FILE 启动仪表盘、设置 KUBECONFIG、创建 ~/.kube/config，或运行 forecast-dashboard --sandbox 以使用本地沙箱集群。</translation>
    </message>
    <message>
        <source>The kubeconfig cannot be used.</source>
        <translation>无法使用该 kubeconfig。</translation>
    </message>
    <message>
        <source>Fix the file named above (kubectl config view shows how kubectl reads it), pick another context above, or start with --kubeconfig FILE. Press F5 to load it again.</source>
        <translation>请修正上面指出的文件（kubectl config view 可显示 kubectl 如何读取它）、在上方选择其他上下文，或使用 --kubeconfig FILE 启动。按 F5 重新加载。</translation>
    </message>
    <message>
        <source>The local sandbox cluster could not be started.</source>
        <translation>无法启动本地沙箱集群。</translation>
    </message>
    <message>
        <source>Build forecast-sandbox (ninja forecast-sandbox) or install the retail-forecast package, then start forecast-dashboard --sandbox again. To use a real cluster, start with --kubeconfig FILE instead.</source>
        <translation>请构建 forecast-sandbox（ninja forecast-sandbox）或安装 retail-forecast 软件包，然后重新运行 forecast-dashboard --sandbox。如需使用真实集群，请改用 --kubeconfig FILE 启动。</translation>
    </message>
    <message>
        <source>The cluster&apos;s API server cannot be reached.</source>
        <translation>无法访问集群的 API 服务器。</translation>
    </message>
    <message>
        <source>Check that the cluster is running and that the server address in the kubeconfig is right (VPN, proxy, firewall). The dashboard keeps trying and shows the workload as soon as the server answers.</source>
        <translation>请检查集群是否正在运行，以及 kubeconfig 中的服务器地址是否正确（VPN、代理、防火墙）。仪表盘会持续重试，服务器一有响应就会显示工作负载。</translation>
    </message>
    <message>
        <source>The cluster rejected the credentials (401 Unauthorized).</source>
        <translation>集群拒绝了凭据（401 Unauthorized）。</translation>
    </message>
    <message>
        <source>The token or certificate has expired or was revoked. Log in again (for example with your cloud provider&apos;s get-credentials command) or fix the user in the kubeconfig, then press F5.</source>
        <translation>令牌或证书已过期或已被吊销。请重新登录（例如使用云服务商的 get-credentials 命令）或修正 kubeconfig 中的用户，然后按 F5。</translation>
    </message>
    <message>
        <source>You are not allowed to read the Deployment &quot;%1&quot; in namespace &quot;%2&quot; (403 Forbidden).</source>
        <translation>你无权读取命名空间“%2”中的 Deployment“%1”（403 Forbidden）。</translation>
    </message>
    <message>
        <source>Ask a cluster administrator for a Role that allows get, list and watch on deployments, replicasets, pods, horizontalpodautoscalers and events in this namespace, or switch to a context that has it.</source>
        <translation>请向集群管理员申请一个 Role，允许在此命名空间中对 deployments、replicasets、pods、horizontalpodautoscalers 和 events 执行 get、list 和 watch，或切换到拥有这些权限的上下文。</translation>
    </message>
    <message>
        <source>The cluster answered with an error (HTTP %1).</source>
        <translation>集群返回了错误（HTTP %1）。</translation>
    </message>
    <message>
        <source>The dashboard keeps trying. If the error persists, check the API server&apos;s health (kubectl get --raw /readyz).</source>
        <translation>仪表盘会持续重试。如果错误一直存在，请检查 API 服务器的健康状况（kubectl get --raw /readyz）。</translation>
    </message>
    <message>
        <source>The namespace &quot;%1&quot; does not exist on this cluster.</source>
        <translation>此集群中不存在命名空间“%1”。</translation>
    </message>
    <message>
        <source>The Deployment &quot;%1&quot; was looked for in namespace &quot;%2&quot;.</source>
        <translation>已在命名空间“%2”中查找 Deployment“%1”。</translation>
    </message>
    <message>
        <source>Enter the right namespace above (kubectl get namespaces lists them), or create the workload with kubectl apply -f manifests/k8s/. The window updates as soon as it exists.</source>
        <translation>请在上方输入正确的命名空间（kubectl get namespaces 可列出所有命名空间），或使用 kubectl apply -f manifests/k8s/ 创建工作负载。工作负载一旦存在，窗口就会立即更新。</translation>
    </message>
    <message>
        <source>There is no Deployment &quot;%1&quot; in namespace &quot;%2&quot;.</source>
        <translation>命名空间“%2”中没有 Deployment“%1”。</translation>
    </message>
    <message>
        <source>The namespace exists, but it has no Deployment of that name.</source>
        <translation>该命名空间存在，但其中没有这个名称的 Deployment。</translation>
    </message>
    <message>
        <source>Check the name with kubectl get deployments -n %1 and enter it above, or create the workload with kubectl apply -f manifests/k8s/. The window updates as soon as it exists.</source>
        <translation>请用 kubectl get deployments -n %1 核对名称并在上方输入，或使用 kubectl apply -f manifests/k8s/ 创建工作负载。工作负载一旦存在，窗口就会立即更新。</translation>
    </message>
    <message>
        <source>rollout paused</source>
        <translation>发布已暂停</translation>
    </message>
    <message>
        <source>waiting for the first metrics</source>
        <translation>正在等待首批指标</translation>
    </message>
    <message>
        <source>scaling from %1 to %2</source>
        <translation>正在从 %1 个扩缩到 %2 个</translation>
    </message>
    <message>
        <source>metrics within target</source>
        <translation>指标在目标范围内</translation>
    </message>
    <message>
        <source>being deleted</source>
        <translation>正在删除</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>running and ready</source>
        <translation>运行中且已就绪</translation>
    </message>
    <message>
        <source>%1 of %2 containers ready for %3</source>
        <translation>%2 个容器中 %1 个就绪，已持续 %3</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>正在启动</translation>
    </message>
    <message>
        <source>Terminated</source>
        <translation>已终止</translation>
    </message>
    <message>
        <source>%1 (signal %2)</source>
        <translation>%1 (信号 %2)</translation>
    </message>
    <message>
        <source>%1 (exit %2)</source>
        <translation>%1 (退出码 %2)</translation>
    </message>
    <message>
        <source>%1, %2 ago</source>
        <translation>%1, %2 前</translation>
    </message>
    <message>
        <source>%1 — last termination %2</source>
        <translation>%1 — 上次终止：%2</translation>
    </message>
    <message>
        <source>restarted %1 ago</source>
        <translation>%1 前重启过</translation>
    </message>
</context>
<context>
    <name>dashboard::Banner</name>
    <message>
        <source>Reconnect now</source>
        <translation>立即重新连接</translation>
    </message>
    <message>
        <source>Reconnect at once instead of waiting for the next automatic attempt (F5).</source>
        <translation>立即重新连接，而不是等待下一次自动尝试（F5）。</translation>
    </message>
    <message>
        <source>Not connected to the cluster. The dashboard reconnects automatically; the data below was last updated at %1.</source>
        <translation>未连接到集群。仪表盘会自动重新连接；下方数据最后更新于 %1。</translation>
    </message>
    <message>
        <source>Not connected to the cluster. The dashboard reconnects automatically.</source>
        <translation>未连接到集群。仪表盘会自动重新连接。</translation>
    </message>
    <message>
        <source>The server did not say why.</source>
        <translation>服务器未说明原因。</translation>
    </message>
</context>
<context>
    <name>dashboard::ConnectionBar</name>
    <message>
        <source>C&amp;ontext:</source>
        <translation>上下文(&amp;O)：</translation>
    </message>
    <message>
        <source>The kubeconfig context to connect with (Ctrl+K).</source>
        <translation>用于连接的 kubeconfig 上下文（Ctrl+K）。</translation>
    </message>
    <message>
        <source>&amp;Namespace:</source>
        <translation>命名空间(&amp;N)：</translation>
    </message>
    <message>
        <source>The namespace of the workload. Press Enter to apply (Ctrl+L).</source>
        <translation>工作负载所在的命名空间。按 Enter 应用（Ctrl+L）。</translation>
    </message>
    <message>
        <source>&amp;Deployment:</source>
        <translation>Deployment(&amp;D)：</translation>
    </message>
    <message>
        <source>The Deployment to watch. Press Enter to apply.</source>
        <translation>要监视的 Deployment。按 Enter 应用。</translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation>未连接。</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
    <message>
        <source>Connected to %1.</source>
        <translation>已连接到 %1。</translation>
    </message>
    <message>
        <source>Connection to %1 lost, reconnecting: %2</source>
        <translation>与 %1 的连接已断开，正在重新连接：%2</translation>
    </message>
    <message>
        <source>Cannot show the workload: %1</source>
        <translation>无法显示工作负载：%1</translation>
    </message>
</context>
<context>
    <name>dashboard::EventsModel</name>
    <message>
        <source>%1
From: %2</source>
        <translation>%1
来源：%2</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>最近出现</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
</context>
<context>
    <name>dashboard::HpaChart</name>
    <message>
        <source>Replicas</source>
        <translation>副本数</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CPU target</source>
        <translation>CPU 目标</translation>
    </message>
    <message>
        <source>CPU utilization</source>
        <translation>CPU 利用率</translation>
    </message>
</context>
<context>
    <name>dashboard::HpaPanel</name>
    <message>
        <source>Autoscaling</source>
        <translation>自动扩缩</translation>
    </message>
    <message>
        <source>Min</source>
        <translation>最小</translation>
    </message>
    <message>
        <source>Max</source>
        <translation>最大</translation>
    </message>
    <message>
        <source>Current</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>Desired</source>
        <translation>期望</translation>
    </message>
    <message>
        <source>TARGETS as kubectl get hpa prints it.</source>
        <translation>与 kubectl get hpa 输出一致的 TARGETS。</translation>
    </message>
    <message>
        <source>spec.minReplicas: the autoscaler never goes below this.</source>
        <translation>spec.minReplicas：自动扩缩器不会缩到低于此值。</translation>
    </message>
    <message>
        <source>spec.maxReplicas: the autoscaler never goes above this.</source>
        <translation>spec.maxReplicas：自动扩缩器不会扩到高于此值。</translation>
    </message>
    <message>
        <source>status.currentReplicas: pods the autoscaler last saw.</source>
        <translation>status.currentReplicas：自动扩缩器最近一次观察到的 Pod 数。</translation>
    </message>
    <message>
        <source>status.desiredReplicas: what the autoscaler asks for now.</source>
        <translation>status.desiredReplicas：自动扩缩器当前要求的 Pod 数。</translation>
    </message>
    <message>
        <source>No HorizontalPodAutoscaler scales the Deployment &quot;%1&quot;, so its replica count only changes when someone scales it. To add one: kubectl apply -f manifests/k8s/hpa.yaml</source>
        <translation>没有 HorizontalPodAutoscaler 对 Deployment“%1”进行扩缩，因此只有手动扩缩时它的副本数才会变化。添加方法：kubectl apply -f manifests/k8s/hpa.yaml</translation>
    </message>
    <message>
        <source>Autoscaler %1</source>
        <translation>自动扩缩器 %1</translation>
    </message>
    <message numerus="yes">
        <source>Autoscaler %1 (and %n more targeting the same Deployment)</source>
        <translation>
            <numerusform>自动扩缩器 %1（另有 %n 个指向同一 Deployment）</numerusform>
        </translation>
    </message>
    <message>
        <source>The autoscaler wants the maximum: it cannot add more pods.</source>
        <translation>自动扩缩器要求的副本数已达上限：无法再增加 Pod。</translation>
    </message>
    <message>
        <source>%1: %2 (%3)</source>
        <translation>%1: %2 (%3)</translation>
    </message>
    <message>
        <source>The autoscaler has not reported conditions yet.</source>
        <translation>自动扩缩器尚未报告任何状况。</translation>
    </message>
    <message>
        <source>%1 (container %2)</source>
        <translation>%1（容器 %2）</translation>
    </message>
    <message>
        <source>%1 now, target %2</source>
        <translation>当前 %1，目标 %2</translation>
    </message>
    <message>
        <source>%1 metric %2: %3</source>
        <translation>%1 指标 %2：%3</translation>
    </message>
</context>
<context>
    <name>dashboard::MainWindow</name>
    <message>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>ReplicaSets</source>
        <translation>ReplicaSet</translation>
    </message>
    <message>
        <source>Pods</source>
        <translation>Pod</translation>
    </message>
    <message>
        <source>Filter by name, status, node or IP (Ctrl+F)</source>
        <translation>按名称、状态、节点或 IP 筛选（Ctrl+F）</translation>
    </message>
    <message>
        <source>&amp;Problems only</source>
        <translation>仅显示有问题的 Pod(&amp;P)</translation>
    </message>
    <message>
        <source>Show only pods that are failing or need a look.</source>
        <translation>只显示失败或需要关注的 Pod。</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>重新加载(&amp;R)</translation>
    </message>
    <message>
        <source>Read the kubeconfig again and reconnect.</source>
        <translation>重新读取 kubeconfig 并重新连接。</translation>
    </message>
    <message>
        <source>Use &amp;Kubeconfig File…</source>
        <translation>使用 kubeconfig 文件(&amp;K)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Copy Pod Name</source>
        <translation>复制 Pod 名称(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Filter Pods</source>
        <translation>筛选 Pod(&amp;F)</translation>
    </message>
    <message>
        <source>Show &amp;Problems Only</source>
        <translation>仅显示有问题的 Pod(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <source>Switch &amp;Context…</source>
        <translation>切换上下文(&amp;C)…</translation>
    </message>
    <message>
        <source>Change &amp;Namespace…</source>
        <translation>更改命名空间(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Pods</source>
        <translation>Pod(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Events</source>
        <translation>事件(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;ReplicaSets</source>
        <translation>ReplicaSet(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Ctrl+F: filter pods
Esc: clear the filter
Ctrl+P: show problems only
Ctrl+C or Ctrl+Shift+C: copy the selected pod names
F5 or Ctrl+R: reload and reconnect
Ctrl+K: switch context
Ctrl+L: change namespace
Alt+1, Alt+2, Alt+3: pods, events, ReplicaSets
Ctrl+O: use another kubeconfig file
Ctrl+Q: quit</source>
        <translation>Ctrl+F：筛选 Pod
Esc：清除筛选
Ctrl+P：仅显示有问题的 Pod
Ctrl+C 或 Ctrl+Shift+C：复制所选 Pod 的名称
F5 或 Ctrl+R：重新加载并重新连接
Ctrl+K：切换上下文
Ctrl+L：更改命名空间
Alt+1、Alt+2、Alt+3：Pod、事件、ReplicaSet
Ctrl+O：使用其他 kubeconfig 文件
Ctrl+Q：退出</translation>
    </message>
    <message>
        <source>Use a kubeconfig file</source>
        <translation>使用 kubeconfig 文件</translation>
    </message>
    <message>
        <source>Loading the Deployment &quot;%1&quot; from namespace &quot;%2&quot;…</source>
        <translation>正在从命名空间“%2”加载 Deployment“%1”…</translation>
    </message>
    <message>
        <source>Loading pods…</source>
        <translation>正在加载 Pod…</translation>
    </message>
    <message>
        <source>The Deployment &quot;%1&quot; is scaled to zero replicas, so no pods run. Scale it up with kubectl scale deployment %1 --replicas=3.</source>
        <translation>Deployment“%1”已缩容到零个副本，因此没有 Pod 在运行。可用 kubectl scale deployment %1 --replicas=3 扩容。</translation>
    </message>
    <message>
        <source>The Deployment wants %1 pods but none exist yet. The events below say why (quota, scheduling or image pulls).</source>
        <translation>Deployment 需要 %1 个 Pod，但目前一个都还不存在。下方的事件说明了原因（配额、调度或镜像拉取）。</translation>
    </message>
    <message>
        <source>All %1 pods are healthy: no pod has a problem to show.</source>
        <translation>全部 %1 个 Pod 均健康：没有需要显示的问题。</translation>
    </message>
    <message>
        <source>No pod matches the filter &quot;%1&quot;. Press Esc in the filter to clear it.</source>
        <translation>没有与筛选条件“%1”匹配的 Pod。在筛选框中按 Esc 可清除筛选。</translation>
    </message>
    <message>
        <source>Loading events…</source>
        <translation>正在加载事件…</translation>
    </message>
    <message>
        <source>No events about this workload. Kubernetes keeps events for about an hour, so a quiet workload has none.</source>
        <translation>此工作负载没有事件。Kubernetes 只保留大约一小时内的事件，因此平稳运行的工作负载没有事件。</translation>
    </message>
    <message>
        <source>Loading ReplicaSets…</source>
        <translation>正在加载 ReplicaSet…</translation>
    </message>
    <message>
        <source>No ReplicaSets yet: the Deployment has not created any.</source>
        <translation>还没有 ReplicaSet：该 Deployment 尚未创建任何 ReplicaSet。</translation>
    </message>
    <message>
        <source>forecast-dashboard</source>
        <translation>forecast-dashboard</translation>
    </message>
    <message>
        <source>%1 in %2 — forecast-dashboard</source>
        <translation>%2 中的 %1 — forecast-dashboard</translation>
    </message>
    <message>
        <source>%1 of %2 shown</source>
        <translation>已显示 %1 个（共 %2 个）</translation>
    </message>
    <message>
        <source>%1, of which %2 with problems</source>
        <translation>共 %1 个，其中 %2 个有问题</translation>
    </message>
    <message>
        <source>%1, all healthy</source>
        <translation>共 %1 个，全部健康</translation>
    </message>
    <message>
        <source>Events (%1, warnings: %2)</source>
        <translation>事件（%1，警告：%2）</translation>
    </message>
    <message>
        <source>Events (%1)</source>
        <translation>事件（%1）</translation>
    </message>
    <message>
        <source>ReplicaSets (%1)</source>
        <translation>ReplicaSet（%1）</translation>
    </message>
</context>
<context>
    <name>dashboard::PodsTableModel</name>
    <message>
        <source>Last termination: %1</source>
        <translation>上次终止：%1</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Restarts</source>
        <translation>重启次数</translation>
    </message>
    <message>
        <source>Last termination</source>
        <translation>上次终止</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>存在时长</translation>
    </message>
    <message>
        <source>IP</source>
        <translation>IP</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>节点</translation>
    </message>
</context>
<context>
    <name>dashboard::ProblemPanel</name>
    <message>
        <source>The dashboard keeps checking and shows the workload as soon as it can.</source>
        <translation>仪表盘会持续检查，并尽快显示工作负载。</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Choose a kubeconfig file…</source>
        <translation>选择 kubeconfig 文件…</translation>
    </message>
    <message>
        <source>Load the kubeconfig again and reconnect (F5).</source>
        <translation>重新加载 kubeconfig 并重新连接（F5）。</translation>
    </message>
</context>
<context>
    <name>dashboard::ReplicaSetsModel</name>
    <message>
        <source>&lt;none&gt;</source>
        <translation>&lt;无&gt;</translation>
    </message>
    <message>
        <source>Current revision</source>
        <translation>当前修订版本</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>修订版本</translation>
    </message>
    <message>
        <source>ReplicaSet</source>
        <translation>ReplicaSet</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>镜像</translation>
    </message>
    <message>
        <source>Change cause</source>
        <translation>变更原因</translation>
    </message>
    <message>
        <source>Desired</source>
        <translation>期望</translation>
    </message>
    <message>
        <source>Current</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>存在时长</translation>
    </message>
</context>
<context>
    <name>dashboard::Screenshot</name>
    <message>
        <source>Cannot save the screenshot to %1: %2</source>
        <translation>无法将截图保存到 %1：%2</translation>
    </message>
    <message>
        <source>The data did not load within %1 s; saved what the window showed to %2.</source>
        <translation>数据未能在 %1 秒内加载完成；已将窗口当时显示的内容保存到 %2。</translation>
    </message>
    <message>
        <source>Saved the window (%1×%2 pixels) to %3.</source>
        <translation>已将窗口（%1×%2 像素）保存到 %3。</translation>
    </message>
    <message>
        <source>the window could not be rendered</source>
        <translation>无法渲染窗口</translation>
    </message>
    <message>
        <source>Saved the window (%1×%2 pixels) to %3; its first complete picture was drawn %4 ms after the process started.</source>
        <translation>已将窗口（%1×%2 像素）保存到 %3；进程启动后 %4 毫秒绘出第一幅完整画面。</translation>
    </message>
</context>
<context>
    <name>dashboard::Translations</name>
    <message>
        <source>Unknown language &quot;%1&quot;; showing English. Available: en, %2.</source>
        <translation>未知语言“%1”；将显示英文。可用语言：en、%2。</translation>
    </message>
    <message>
        <source>No translation for &quot;%1&quot;; showing English. Available: en, %2.</source>
        <translation>没有“%1”的翻译；将显示英文。可用语言：en、%2。</translation>
    </message>
</context>
<context>
    <name>dashboard::WorkloadHeader</name>
    <message>
        <source>Rollout paused</source>
        <translation>上线已暂停</translation>
    </message>
    <message>
        <source>Desired</source>
        <translation>期望</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>已更新</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>可用</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>镜像</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>修订版本</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>存在时长</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>暂无</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1: %2 (%3)</source>
        <translation>%1: %2 (%3)</translation>
    </message>
    <message>
        <source>No conditions reported yet.</source>
        <translation>尚未报告任何状况。</translation>
    </message>
    <message>
        <source>spec.replicas: how many pods the Deployment wants.</source>
        <translation>spec.replicas：Deployment 期望的 Pod 数。</translation>
    </message>
    <message>
        <source>Pods running the current revision&apos;s template.</source>
        <translation>运行当前修订版本模板的 Pod。</translation>
    </message>
    <message>
        <source>Pods whose containers all pass their readiness probes.</source>
        <translation>所有容器都通过就绪探针的 Pod。</translation>
    </message>
    <message>
        <source>Pods ready for at least minReadySeconds: what serves traffic.</source>
        <translation>就绪时间至少达到 minReadySeconds 的 Pod：即正在提供服务的 Pod。</translation>
    </message>
</context>
<context>
    <name>dashboard::WorkloadInstaller</name>
    <message>
        <source>Cannot check for the workload: %1</source>
        <translation>无法检查工作负载是否存在：%1</translation>
    </message>
    <message>
        <source>Cannot read the bundled manifests: %1</source>
        <translation>无法读取内置的清单：%1</translation>
    </message>
    <message>
        <source>Cannot discover the cluster&apos;s resources: %1</source>
        <translation>无法发现集群的资源：%1</translation>
    </message>
    <message numerus="yes">
        <source>Applied %n object(s) of the bundled manifests.</source>
        <translation>
            <numerusform>已应用内置清单中的 %n 个对象。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: the cluster does not serve %2 %3 (%4).</source>
        <translation>%1：集群不提供 %2 %3（%4）。</translation>
    </message>
    <message>
        <source>%1: applying %2 %3 failed: %4</source>
        <translation>%1：应用 %2 %3 失败：%4</translation>
    </message>
</context>
<context>
    <name>dashboard::WorkloadSession</name>
    <message>
        <source>KUBECONFIG is not set (or names no existing file) and %1 does not exist.</source>
        <translation>未设置 KUBECONFIG（或其指向的文件都不存在），且 %1 不存在。</translation>
    </message>
</context>
</TS>
