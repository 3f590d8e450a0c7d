#!/usr/bin/env python3
"""capture_events.py OUT.json NAMESPACE: like capture.py for events, recording both
`kubectl get events` (LAST SEEN, OBJECT columns) and `kubectl events` (the "40s (x3 over 5m)"
interval kubectl describe also uses) for the same saved events."""
import json, subprocess, sys, datetime, time
out, ns = sys.argv[1], sys.argv[2]
def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3] + 'Z'
def start_of_second():
    # Print inside one wall-clock second: ages have whole-second resolution, so any instant
    # of the window then gives the same ages as the server's own clock did.
    time.sleep(1.0 - (time.time() % 1.0) + 0.01)
    return now()
def kubectl(*args):
    return subprocess.run(['kubectl', '-n', ns] + list(args), capture_output=True, text=True, check=True).stdout
def versions(doc):
    return [(i['metadata']['name'], i['metadata']['resourceVersion']) for i in doc['items']]
for attempt in range(20):
    before = json.loads(kubectl('get', 'events', '-o', 'json'))
    t0 = start_of_second()
    get_text = kubectl('get', 'events')
    t1 = now()
    e0 = start_of_second()
    events_text = kubectl('events')
    e1 = now()
    after = json.loads(kubectl('get', 'events', '-o', 'json'))
    if versions(before) == versions(after) and t0[:19] == t1[:19] and e0[:19] == e1[:19]:
        break
else:
    sys.exit('events kept changing')
json.dump({"command": "kubectl get events; kubectl events", "printedBetween": [t0, t1],
           "kubectlOutput": get_text.rstrip('\n').split('\n'),
           "eventsPrintedBetween": [e0, e1], "kubectlEventsOutput": events_text.rstrip('\n').split('\n'), "list": after},
          open(out, 'w'), indent=1)
print(events_text)
