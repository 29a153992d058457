#!/usr/bin/env python3
"""Posts N distinct firing alerts to an Alertmanager in batches of 1,000 (compat/alertmanager-speed.sh)
and prints the wall-clock seconds it took. Alerts fall into N/100 groups of 100 (alertname x cluster),
each with a handful of labels and annotations, as a large fleet's alerts look.

usage: load.py URL N [ROUND]   (ROUND changes the annotations so a re-post is an update)"""
import json
import sys
import time
import urllib.request


def main():
    url, total = sys.argv[1], int(sys.argv[2])
    round_ = sys.argv[3] if len(sys.argv) > 3 else "0"
    started = time.monotonic()
    for first in range(0, total, 1000):
        batch = []
        for i in range(first, min(first + 1000, total)):
            group = i // 100
            batch.append({
                "labels": {"alertname": f"Alert{group % 50}", "cluster": f"c{group // 50}", "instance": f"host-{i}:9100",
                           "job": "node", "severity": "warning" if i % 3 else "critical"},
                "annotations": {"summary": f"host-{i} is unwell", "round": round_},
                "generatorURL": f"http://prometheus.example/graph?g0.expr=up%7Binstance%3D%22host-{i}%22%7D",
            })
        request = urllib.request.Request(url + "/api/v2/alerts", data=json.dumps(batch).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            if response.status != 200:
                sys.exit(f"HTTP {response.status}")
    print(f"{time.monotonic() - started:.2f}")


if __name__ == "__main__":
    main()
