#!/usr/bin/env python3
"""Compares Vigil's node collector with node_exporter from three scrapes.

usage: compare.py NE_BEFORE VIGIL NE_AFTER

NE_BEFORE and NE_AFTER are node_exporter's /metrics taken just before and just after VIGIL,
Vigil's. For every family node_exporter exposes (its own node_exporter_build_info, go_* and
process_* aside): Vigil has it, with the same TYPE, HELP and label names, and the same series
(labels with empty values dropped on both sides: Prometheus stores them as absent). Values:
a counter must lie between node_exporter's two readings; a stable gauge (sizes, totals, boot
time, info metrics) must equal node_exporter's; any other gauge must lie between the two readings
widened by a tolerance, because it moves on its own (free memory, load). Families Vigil has and
node_exporter does not are failures too. Prints one line per failed family, then
"N passed, M failed"; exits 1 when anything failed.
"""
import re
import sys

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\S+)?$')
LABEL = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?')
IGNORED = re.compile(r'^(go_|process_|promhttp_|node_exporter_build_info$|vigil_|node_scrape_collector_duration_seconds$)')

# Gauges whose value does not move between two scrapes a second apart.
STABLE = re.compile(
    r'^node_(memory_(MemTotal|SwapTotal|Hugepagesize|HugePages_Total|CommitLimit|VmallocTotal|DirectMap\w+)_?\w*'
    r'|filesystem_(size_bytes|readonly|device_error|files)'
    r'|boot_time_seconds|uname_info|os_info|os_version|disk_info|disk_filesystem_info|filefd_maximum'
    r'|entropy_pool_size_bits|nf_conntrack_entries_limit|time_zone_offset_seconds|time_clocksource_\w+'
    r'|timex_(tick_seconds|status|loop_time_constant|tai_offset_seconds|sync_status)|textfile_\w+'
    r'|scrape_collector_success|nvme_info|hwmon_chip_names|hwmon_sensor_label|cooling_device_max_state)$'
    r'|^(?!node_)')


def parse(path):
    families, current = {}, None
    with open(path, encoding='utf-8') as handle:
        for line in handle:
            line = line.rstrip('\n')
            if not line:
                continue
            if line.startswith('# HELP ') or line.startswith('# TYPE '):
                _, kind, rest = line.split(' ', 2)
                name, _, text = rest.partition(' ')
                family = families.setdefault(name, {'help': None, 'type': 'untyped', 'series': {}})
                family['help' if kind == 'HELP' else 'type'] = text
                current = name
                continue
            if line.startswith('#'):
                continue
            match = SAMPLE.match(line)
            if not match:
                raise SystemExit(f'{path}: cannot parse line: {line}')
            name, labels_text, value = match.group(1), match.group(3) or '', match.group(4)
            labels = tuple(sorted((k, v) for k, v in LABEL.findall(labels_text) if v != ''))
            family_name = current if current and name.startswith(current) else name
            family = families.setdefault(family_name, {'help': None, 'type': 'untyped', 'series': {}})
            family['series'][(name, labels)] = float(value)
    return families


def label_names(family):
    return sorted({k for (_, labels) in family['series'] for k, _ in labels})


def close(value, low, high, tolerance):
    return low - tolerance <= value <= high + tolerance


def check(name, before, vigil, after):
    problems = []
    if vigil['type'] != before['type']:
        problems.append(f"type {vigil['type']} != {before['type']}")
    if vigil['help'] != before['help']:
        problems.append(f"help {vigil['help']!r} != {before['help']!r}")
    if label_names(vigil) != label_names(before):
        problems.append(f'label names {label_names(vigil)} != {label_names(before)}')
    missing = set(before['series']) & set(after['series']) - set(vigil['series'])
    extra = set(vigil['series']) - set(before['series']) - set(after['series'])
    if missing:
        problems.append(f'missing series {sorted(missing)[:3]}')
    if extra:
        problems.append(f'extra series {sorted(extra)[:3]}')
    for key, value in sorted(vigil['series'].items()):
        if key not in before['series'] or key not in after['series']:
            continue
        first, last = before['series'][key], after['series'][key]
        low, high = min(first, last), max(first, last)
        if before['type'] == 'counter':
            ok = close(value, low, high, 1e-9 * max(1.0, abs(high)) + 0.011)
        elif STABLE.match(name):
            ok = close(value, low, high, 1e-9 * max(1.0, abs(high)) + (1.0 if name == 'node_boot_time_seconds' else 0))
        else:
            ok = close(value, low, high, 0.10 * max(abs(low), abs(high)) + 1.0)
        if not ok:
            problems.append(f'{key[0]}{dict(key[1])}: vigil {value!r}, node_exporter {first!r} .. {last!r}')
            if len(problems) > 5:
                break
    return problems


def main():
    before, vigil, after = (parse(path) for path in sys.argv[1:4])
    passed = failed = 0
    for name in sorted(set(before) | set(vigil)):
        if IGNORED.match(name):
            continue
        if name not in vigil:
            print(f'DIFF {name}: missing in Vigil')
            failed += 1
            continue
        if name not in before:
            print(f'DIFF {name}: only in Vigil')
            failed += 1
            continue
        problems = check(name, before[name], vigil[name], after.get(name, before[name]))
        if problems:
            print(f'DIFF {name}: ' + '; '.join(problems))
            failed += 1
        else:
            passed += 1
    print(f'families: {passed} passed, {failed} failed')
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
