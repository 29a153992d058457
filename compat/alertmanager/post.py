#!/usr/bin/env python3
"""Posts one batch of alerts (compat/alertmanager.sh) to every Alertmanager URL given, as close
to the same instant as possible. Times are fixed offsets from BASE (seconds since the epoch), so
both receive identical startsAt/endsAt.

usage: post.py BATCH BASE URL...   (BATCH: first | resolve)"""
import datetime
import json
import sys
import urllib.request


def at(base, offset):
    stamp = datetime.datetime.fromtimestamp(base + offset, datetime.timezone.utc)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def batch(name, base):
    def alert(labels, annotations=None, ends=None):
        body = {"labels": labels, "annotations": annotations or {}, "startsAt": at(base, 0),
                "generatorURL": "http://prometheus.example/graph?g0.expr=up"}
        if ends is not None:
            body["endsAt"] = at(base, ends)
        return body

    firing = [
        alert({"alertname": "HighCPU", "cluster": "eu", "severity": "page", "instance": "a"}, {"summary": "CPU on a"}),
        alert({"alertname": "HighCPU", "cluster": "eu", "severity": "page", "instance": "b"}, {"summary": "CPU on b"}),
        alert({"alertname": "HighCPU", "cluster": "eu", "severity": "page", "instance": "c"}, {"summary": "CPU on c"}),
        alert({"alertname": "DiskFull", "cluster": "us", "team": "db", "severity": "warning", "instance": "d"}),
        alert({"alertname": "DiskFull", "cluster": "eu", "team": "storage", "severity": "warning", "instance": "e"}),
        alert({"alertname": "DiskFull", "cluster": "ap", "team": "db", "severity": "warning", "instance": "g"}),
        alert({"alertname": "NodeDown", "cluster": "us", "severity": "critical", "instance": "f"}, {"runbook": "r/node"}),
        alert({"alertname": "Latency", "cluster": "eu", "severity": "warning", "service": "api"}, {"summary": "slow"}),
        alert({"alertname": "Latency", "cluster": "eu", "severity": "warning", "service": "web", "env": "canary"}),
        alert({"alertname": "Noise", "cluster": "eu", "severity": "info"}),
    ]
    if name == "first":
        return firing
    # The second batch resolves two alerts with an explicit end in the past.
    return [
        alert({"alertname": "Latency", "cluster": "eu", "severity": "warning", "service": "api"}, {"summary": "slow"}, ends=1),
        alert({"alertname": "DiskFull", "cluster": "ap", "team": "db", "severity": "warning", "instance": "g"}, ends=1),
    ]


def main():
    name, base, urls = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    body = json.dumps(batch(name, base)).encode()
    for url in urls:
        request = urllib.request.Request(url + "/api/v2/alerts", data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            if response.status != 200:
                sys.exit(f"{url}: HTTP {response.status}")


if __name__ == "__main__":
    main()
