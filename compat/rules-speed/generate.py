#!/usr/bin/env python3
"""Writes the inputs of compat/rules-speed.sh: the exporter payload (SERIES series of `load`, one
per instance, constant values 0..99) and a rule file of RULES alerting rules in groups of 100,
each rule watching one instance with a threshold, so about half of them fire."""
import sys


def main():
    series, rules, payload_path, rules_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    with open(payload_path, "w") as out:
        out.write("# HELP load Synthetic load.\n# TYPE load gauge\n")
        for i in range(series):
            out.write(f'load{{host="host-{i}",rack="r{i % 40}"}} {i % 100}\n')
    with open(rules_path, "w") as out:
        out.write("groups:\n")
        for i in range(rules):
            if i % 100 == 0:
                out.write(f"  - name: group-{i // 100}\n    interval: 15s\n    rules:\n")
            threshold = (i * 37) % 100
            out.write(
                f"      - alert: HighLoad{i}\n"
                f"        expr: load{{host=\"host-{i % series}\"}} > {threshold}\n"
                f"        for: 30s\n"
                f"        labels: {{severity: page, team: team-{i % 17}}}\n"
                f"        annotations:\n"
                f"          summary: '{{{{ $labels.host }}}} load is {{{{ $value }}}} (over {threshold})'\n"
            )


if __name__ == "__main__":
    main()
