#pragma once
// The measuring side of dashboard-core-bench, run in a fresh process per scenario so RSS and
// CPU read from /proc/self belong to that scenario only: it starts the workload's informers
// (pods and ReplicaSets by label, the Deployment by name) against a sandbox, then reports
// key=value lines on stdout.

namespace rf::bench {

// argv after "probe": --kubeconfig FILE --namespace NS --deployment NAME --selector SEL
//   [--idle SECONDS] [--quiet-latency SECONDS] [--rate N --seconds S --patch-pods a,b,c]
int runProbe(int argc, char **argv);

} // namespace rf::bench
