#!/usr/bin/env python3
"""capture.py OUT.json [--rollout] -- KUBECTL-GET-ARGS...
Reads the objects (-o json), then kubectl's printed table (and `kubectl rollout status` per
deployment with --rollout), then the objects again; retries until no object changed in between,
so the printed strings describe exactly the saved objects. Records the wall-clock window in
which the table was printed (the server computed its ages inside it)."""
import json, subprocess, sys, datetime, time
out = sys.argv[1]
rollout = '--rollout' in sys.argv
args = sys.argv[sys.argv.index('--') + 1:]
def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3] + 'Z'
def start_of_second():
    # Print inside one wall-clock second: ages have whole-second resolution, so any instant
    # of the window then gives the same ages as the server's own clock did.
    time.sleep(1.0 - (time.time() % 1.0) + 0.01)
    return now()
def get_json():
    return json.loads(subprocess.run(['kubectl'] + args + ['-o', 'json'], capture_output=True, text=True, check=True).stdout)
def versions(doc):
    items = doc.get('items', [doc])
    return [(i['metadata']['name'], i['metadata']['resourceVersion']) for i in items]
for attempt in range(20):
    before = get_json()
    t0 = start_of_second()
    text = subprocess.run(['kubectl'] + args, capture_output=True, text=True).stdout
    t1 = now()
    statuses = {}
    if rollout:
        for name, _ in versions(before):
            r = subprocess.run(['kubectl', 'rollout', 'status', 'deployment/' + name, '--watch=false'], capture_output=True, text=True)
            statuses[name] = {'stdout': r.stdout, 'stderr': r.stderr, 'exitCode': r.returncode}
    after = get_json()
    if versions(before) == versions(after) and t0[:19] == t1[:19]:
        break
else:
    sys.exit('objects kept changing')
doc = {"command": "kubectl " + " ".join(args), "printedBetween": [t0, t1],
       "kubectlOutput": text.rstrip('\n').split('\n')}
if rollout:
    doc["rolloutStatus"] = statuses
doc["list"] = after
json.dump(doc, open(out, 'w'), indent=1)
print(text); print(json.dumps(statuses, indent=1))
