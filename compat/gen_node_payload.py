"""Writes a node_exporter-like text exposition of about N series (deterministic) to stdout.

Usage: gen_node_payload.py [N] [SERIES_PER_FAMILY]; 200 series per metric family unless told
(a real node_exporter has a few hundred families of a few series each: try 3)."""
import random
import sys

series = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
per_family = int(sys.argv[2]) if len(sys.argv) > 2 else 200
rng = random.Random(42)
out = []
written = 0


def number():
    kind = rng.randrange(5)
    if kind == 0:
        return str(rng.randrange(1000))
    if kind == 1:
        return repr(rng.randrange(10_000_000) / 100)
    if kind == 2:
        return "%d.%06de+%02d" % (rng.randrange(1, 10), rng.randrange(1_000_000), rng.randrange(12))
    if kind == 3:
        return "0.%09d" % rng.randrange(1_000_000_000)
    return str(rng.randrange(100_000_000_000))


families = [
    ("node_cpu_seconds_total", "counter", lambda i: 'cpu="%d",mode="%s"' % (i // 8, ["idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"][i % 8])),
    ("node_network_receive_bytes_total", "counter", lambda i: 'device="eth%d"' % i),
    ("node_filesystem_avail_bytes", "gauge", lambda i: 'device="/dev/sd%d",fstype="ext4",mountpoint="/mnt/disk%d"' % (i, i)),
    ("node_disk_io_time_seconds_total", "counter", lambda i: 'device="nvme%dn1"' % i),
    ("node_softnet_processed_total", "counter", lambda i: 'cpu="%d"' % i),
]
rounds = 0
while written < series:
    for name, kind, labels in families:
        out.append("# HELP %s Node metric %s.\n# TYPE %s %s\n" % (name, name, name, kind))
        for i in range(per_family):
            out.append("%s{%s,shard=\"%d\"} %s\n" % (name, labels(i), written // 1000, number()))
            written += 1
            if written >= series:
                break
        if written >= series:
            break
    rounds += 1
    families = [("node%d_" % rounds + n.split("_", 1)[1], k, l) for n, k, l in families]
sys.stdout.write("".join(out))
