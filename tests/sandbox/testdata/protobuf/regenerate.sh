#!/usr/bin/env bash
# Regenerates the protobuf fixtures: for each case, the body real kubectl sends
# (<name>.pb, captured through capture_proxy.py) and the JSON form of the same object
# (<name>.json, `kubectl ... --dry-run=client -o json`, which prints what kubectl would
# otherwise have sent). Needs a running sandbox:
#   forecast-sandbox up --state-dir /tmp/pb-sbx --port 0 --kubeconfig-out /tmp/pb-sbx/kc &
#   tests/sandbox/testdata/protobuf/regenerate.sh /tmp/pb-sbx/kc
# auth can-i has no dry run: its .json files are written by hand from the request.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kc=$1
port=$(sed -n 's/^ *server: https:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$kc")
export SBX_TOKEN=$(sed -n 's/^ *token: *//p' "$kc")
work=$(mktemp -d)
listen=$((20000 + RANDOM % 20000))
python3 "$here/capture_proxy.py" "$port" "$work" "$listen" &
proxy=$!
trap 'kill $proxy; rm -rf "$work"' EXIT
cat > "$work/kc" <<KC
apiVersion: v1
kind: Config
clusters: [{name: p, cluster: {server: "http://127.0.0.1:$listen"}}]
users: [{name: p, user: {}}]
contexts: [{name: p, context: {cluster: p, user: p, namespace: default}}]
current-context: p
KC
export KUBECONFIG=$work/kc
for _ in $(seq 50); do kubectl get --raw /version >/dev/null 2>&1 && break; sleep 0.2; done
printf 'bin\x00\x01\xfe\xff' > "$work/blob"
kubectl create deployment target --image=nginx --dry-run=client -o yaml | kubectl apply -f - >/dev/null

capture() { # name, kubectl args... (the create must send exactly one protobuf body)
    local name=$1
    shift
    rm -f "$work"/body-*
    kubectl "$@" >/dev/null 2>&1 || true
    local bodies=("$work"/body-*.bin)
    [ ${#bodies[@]} -eq 1 ] || { echo "$name: expected one protobuf body, got ${#bodies[@]}" >&2; exit 1; }
    cp "${bodies[0]}" "$here/$name.pb"
}
dryrun() { # name, kubectl args...
    local name=$1
    shift
    capture "$name" "$@"
    local args=() arg rest=()
    for arg in "$@"; do # dry-run flags go before a `--` command
        if [ ${#rest[@]} -gt 0 ] || [ "$arg" = "--" ]; then rest+=("$arg"); else args+=("$arg"); fi
    done
    kubectl "${args[@]}" --dry-run=client -o json "${rest[@]}" > "$here/$name.json"
}

dryrun configmap create configmap settings --from-literal=a=b --from-literal=mode=fast
dryrun configmap-binary create configmap blobs --from-file=blob="$work/blob" --from-literal=text=hi
dryrun secret-generic create secret generic creds --from-literal=user=admin --from-literal=password='s3cr3t!'
dryrun secret-docker-registry create secret docker-registry reg --docker-server=registry.example \
    --docker-username=u --docker-password=p --docker-email=u@example.com
dryrun deployment create deployment web --image=nginx:1.27 --replicas=3 --port=80
dryrun deployment-command create deployment worker --image=busybox -- sleep 3600
dryrun deployment-zero-replicas create deployment idle --image=nginx --replicas=0
dryrun service-clusterip create service clusterip api --tcp=80:8080 --tcp=443:8443
dryrun service-nodeport create service nodeport np --tcp=80:8080 --node-port=30080
dryrun service-loadbalancer create service loadbalancer lb --tcp=443:https
dryrun service-externalname create service externalname ext --external-name=example.com
dryrun namespace create namespace team-a
dryrun serviceaccount create serviceaccount builder
dryrun ingress create ingress shop --class=nginx --default-backend=fallback:http \
    --rule='shop.example/api*=api:80,tls=shop-cert' --rule='shop.example/=web:http' --annotation=team=retail
dryrun pdb-min-available create poddisruptionbudget web-pdb --selector=app=web --min-available=1
dryrun pdb-max-unavailable create poddisruptionbudget web-pdb2 --selector=app=web --max-unavailable=50%
dryrun hpa-autoscale autoscale deployment target --min=2 --max=5 --cpu-percent=80
capture ssar-resource auth can-i create deployments
capture ssar-subresource auth can-i get pods --subresource=log -n kube-system
capture ssar-nonresource auth can-i get /healthz
kubectl delete deployment target >/dev/null
