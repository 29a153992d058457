#!/usr/bin/env python3
"""A Loki push client written from Loki's documented protocol, to check Vigil's push API.

Pushes a deterministic dataset to BASE_URL with both encodings Loki documents for
POST /loki/api/v1/push:
  * JSON: {"streams":[{"stream":{labels},"values":[["<ns>","line",{metadata}]]}]}
  * protobuf (logproto.PushRequest) compressed with snappy's block format,
    Content-Type application/x-protobuf.
Then reads everything back through /loki/api/v1/query_range (forward), /labels,
/label/<name>/values and /series, and compares with what was sent.
Prints one PASS/FAIL line per check and "loki-push: N passed, M failed".
"""
import gzip
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

BASE = sys.argv[1].rstrip("/")
NOW = int(sys.argv[2])  # ns; lines are placed shortly before it
VERIFY_ONLY = len(sys.argv) > 3 and sys.argv[3] == "verify"  # read back a previous run's pushes
passed = failed = 0


def check(name, expected, actual):
    global passed, failed
    if expected == actual:
        print("PASS", name)
        passed += 1
    else:
        print("FAIL", name)
        print("  expected:", repr(expected)[:600])
        print("  actual:  ", repr(actual)[:600])
        failed += 1


# --- protobuf, by hand (field numbers from Loki's pkg/push/push.proto) ---
def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field_bytes(number, payload):
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def field_varint(number, value):
    return varint(number << 3) + varint(value)


def push_request(streams):
    body = b""
    for labels, entries in streams:
        stream = field_bytes(1, labels.encode())
        for ts, line, metadata in entries:
            timestamp = field_varint(1, ts // 1_000_000_000) + field_varint(2, ts % 1_000_000_000)
            entry = field_bytes(1, timestamp) + field_bytes(2, line.encode())
            for name, value in metadata.items():
                entry += field_bytes(3, field_bytes(1, name.encode()) + field_bytes(2, value.encode()))
            stream += field_bytes(2, entry)
        body += field_bytes(1, stream)
    return body


# --- snappy block format: literals and 2-byte-offset copies from a greedy 4-byte matcher ---
def snappy_literal(data):
    n = len(data) - 1
    if n < 60:
        return bytes([n << 2]) + data
    size = (n.bit_length() + 7) // 8
    return bytes([(59 + size) << 2]) + n.to_bytes(size, "little") + data


def snappy_compress(data):
    out = bytearray(varint(len(data)))
    table = {}
    i = literal_start = 0
    while i + 4 <= len(data):
        key = data[i:i + 4]
        candidate = table.get(key)
        table[key] = i
        if candidate is not None and 0 < i - candidate < 65536:
            length = 4
            while i + length < len(data) and data[candidate + length] == data[i + length] and length < 64:
                length += 1
            if literal_start < i:
                out += snappy_literal(data[literal_start:i])
            out += bytes([(length - 1) << 2 | 2]) + (i - candidate).to_bytes(2, "little")
            i += length
            literal_start = i
        else:
            i += 1
    if literal_start < len(data):
        out += snappy_literal(data[literal_start:])
    return bytes(out)


def request(path, body=None, headers=None):
    req = urllib.request.Request(BASE + path, data=body, headers=headers or {}, method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def query(params):
    status, text = request("/loki/api/v1/query_range?" + urllib.parse.urlencode(params))
    return status, json.loads(text) if status == 200 else text


# --- the dataset ---
long_line = "x" * 70_000 + " end"
json_streams = [
    ('{"app":"api","env":"prod"}', {"app": "api", "env": "prod"}, [
        (NOW - 9_000, 'GET /orders 200 took=12ms', {}),
        (NOW - 8_000, 'POST /pay 500 "card declined"', {"trace_id": "a1b2"}),
        (NOW - 7_000, "", {}),
        (NOW - 6_000, "ünïcödé ✓ 日本語 🚀", {}),
    ]),
    ('{"app":"web"}', {"app": "web"}, [
        (NOW - 5_000, long_line, {}),
        (NOW - 4_999, "tab\there, back\\slash, quote\"", {}),
    ]),
]
proto_streams = [
    ('{app="db", env="prod"}', {"app": "db", "env": "prod"}, [
        (NOW - 3_000, "slow query 1200ms select * from orders", {"user": "svc-db"}),
        (NOW - 2_000, "slow query 1300ms select * from orders", {}),
        (NOW - 1_000, "ünïcödé proto ✓", {}),
        (NOW - 500, "", {}),
    ]),
    ('{app="api", env="prod"}', {"app": "api", "env": "prod"}, [
        (NOW - 7_500, "from protobuf into the JSON stream", {}),
    ]),
]

def json_push_body(streams):
    body = {"streams": []}
    for _, labels, entries in streams:
        values = []
        for ts, line, metadata in entries:
            values.append([str(ts), line, metadata] if metadata else [str(ts), line])
        body["streams"].append({"stream": labels, "values": values})
    return json.dumps(body, ensure_ascii=False).encode()


def push_everything():
    status, text = request("/loki/api/v1/push", json_push_body(json_streams[:1]), {"Content-Type": "application/json"})
    check("JSON push answers 204", (204, ""), (status, text.strip()))
    # Promtail and Fluent Bit can gzip their JSON pushes (CPython's gzip, not Vigil's zlib use).
    status, text = request("/loki/api/v1/push", gzip.compress(json_push_body(json_streams[1:])),
                           {"Content-Type": "application/json", "Content-Encoding": "gzip"})
    check("gzip JSON push answers 204", (204, ""), (status, text.strip()))

    raw = push_request([(labels, entries) for labels, _, entries in proto_streams])
    compressed = snappy_compress(raw)
    status, text = request("/loki/api/v1/push", compressed,
                           {"Content-Type": "application/x-protobuf", "Content-Encoding": "snappy"})
    check("protobuf+snappy push answers 204 (%d bytes, %d compressed)" % (len(raw), len(compressed)), (204, ""), (status, text.strip()))

    # Bad bodies: clear 400s, nothing stored.
    status, _ = request("/loki/api/v1/push", b'{"streams":[{"stream":{"a":"b"},"values":[["1","x"]', {"Content-Type": "application/json"})
    check("truncated JSON is refused with 400", 400, status)
    status, _ = request("/loki/api/v1/push", compressed[: len(compressed) // 2], {"Content-Type": "application/x-protobuf"})
    check("truncated snappy is refused with 400", 400, status)


if not VERIFY_ONLY:
    push_everything()

# --- read back ---
# Loki answers log queries with each line's structured metadata among its stream's labels.
expected = {}
for _, labels, entries in json_streams + proto_streams:
    for ts, line, metadata in entries:
        key = json.dumps({**labels, **metadata}, sort_keys=True)
        expected.setdefault(key, []).append((ts, line))
for key in expected:
    expected[key].sort()

start, end = NOW - 60_000_000_000, NOW + 1
status, answer = query({"query": '{app=~".+"}', "start": start, "end": end, "direction": "forward", "limit": 1000})
actual = {}
if status == 200:
    for stream in answer["data"]["result"]:
        key = json.dumps(stream["stream"], sort_keys=True)
        actual.setdefault(key, []).extend((int(ts), line) for ts, line, *_ in stream["values"])
    for key in actual:
        actual[key].sort()
check("every pushed line reads back, per stream, byte for byte", expected, actual)

status, answer = query({"query": '{app="api"} |= "500"', "start": start, "end": end, "limit": 10})
lines = [v[1] for s in answer["data"]["result"] for v in s["values"]] if status == 200 else answer
check("line filter over both encodings", ['POST /pay 500 "card declined"'], lines)

status, answer = query({"query": '{app="db"} | user="svc-db"', "start": start, "end": end, "limit": 10})
lines = [v[1] for s in answer["data"]["result"] for v in s["values"]] if status == 200 else answer
check("structured metadata from protobuf is a label", ["slow query 1200ms select * from orders"], lines)

status, answer = query({"query": '{app="api"} | trace_id="a1b2"', "start": start, "end": end, "limit": 10})
lines = [v[1] for s in answer["data"]["result"] for v in s["values"]] if status == 200 else answer
check("structured metadata from JSON is a label", ['POST /pay 500 "card declined"'], lines)

status, answer = query({"query": 'sum by (app) (count_over_time({env="prod"}[1m]))', "start": NOW, "end": NOW, "step": "1"})
counts = sorted((s["metric"].get("app"), s["values"][-1][1]) for s in answer["data"]["result"]) if status == 200 else answer
check("count_over_time per app", [("api", "5"), ("db", "4")], counts)

status, text = request("/loki/api/v1/labels?" + urllib.parse.urlencode({"start": start, "end": end}))
check("labels", ["app", "env"], json.loads(text)["data"] if status == 200 else text)
status, text = request("/loki/api/v1/label/app/values?" + urllib.parse.urlencode({"start": start, "end": end}))
check("label values", ["api", "db", "web"], json.loads(text)["data"] if status == 200 else text)
status, text = request("/loki/api/v1/series?" + urllib.parse.urlencode({"match[]": '{env="prod"}', "start": start, "end": end}))
series = sorted(json.dumps(s, sort_keys=True) for s in json.loads(text)["data"]) if status == 200 else text
check("series", sorted([json.dumps({"app": "api", "env": "prod"}, sort_keys=True), json.dumps({"app": "db", "env": "prod"}, sort_keys=True)]), series)

print("loki-push: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
