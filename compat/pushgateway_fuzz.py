#!/usr/bin/env python3
"""Differential fuzz for compat/pushgateway.sh: the same mutated pushes to a Pushgateway and to Vigil.

Usage: pushgateway_fuzz.py PUSHGATEWAY_URL VIGIL_URL SEED COUNT

Bodies are valid expositions mutated by deleting, inserting and replacing bytes and tokens; each goes
to a random grouping key with PUT, POST or (sometimes) DELETE, first to the Pushgateway, then to
Vigil. Prints every request whose status codes differ and a last line
"fuzz: N requests, M with different status codes"; exits 1 if M > 0.
"""
import random
import sys
import urllib.error
import urllib.request

SEEDS = [
    '# HELP foo A foo\n# TYPE foo counter\nfoo{a="",b="x"} 1\nfoo{b="y"} 2.5\nbar 3\n',
    '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 3\nh_sum 4\nh_count 3\n',
    '# TYPE s summary\ns{quantile="0.5",x="1"} 1\ns_sum{x="1"} 2\ns_count{x="1"} 3\n',
    'x{instance="i",job="other"} 1\ny{path="a\\\\b\\"c\\nd"} NaN\n',
    '# TYPE g gauge\ng -Inf\ng_count 1\n',
]
TOKENS = [
    '\n', ' ', '\t', '{', '}', '=', ',', '"', '\\', '#', ' HELP ', ' TYPE ', '#TYPE ', '#HELP ', 'counter', 'gauge',
    'summary', 'histogram', 'untyped', 'le', 'quantile', '_count', '_sum', '_bucket', 'job', 'instance', '__x',
    '1', '-1', 'NaN', '+Inf', '1e9', '123', '0x1p3', '1_000', '-0', '.5', '\\n', '\\"', '\\\\', 'quantile="0.9"',
    'le="2"', 'le="abc"', ' 1700000000000', '\u00e9', 'x', 'h', 's', 'foo',
]
PATHS = ['/metrics/job/a', '/metrics/job/a/instance/x', '/metrics/job/b', '/metrics/job/c/x/y',
         '/metrics/job@base64/YQ', '/metrics/job/a/p@base64/=']


def request(base, method, path, body):
    req = urllib.request.Request(base + path, data=body, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, response.read().decode('utf-8', 'replace')
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode('utf-8', 'replace')


def mutate(text, rnd):
    data = bytearray(text.encode())
    for _ in range(1 + rnd.randrange(4)):
        position = rnd.randrange(len(data) + 1) if data else 0
        kind = rnd.randrange(5)
        if kind == 0 and data:
            del data[min(position, len(data) - 1)]
        elif kind == 1:
            data[position:position] = rnd.choice(TOKENS).encode()
        elif kind == 2:
            data[position:position] = bytes([rnd.randrange(32, 127)])
        elif kind == 3:
            data[position:position] = rnd.choice(SEEDS).encode()
        elif data:
            data[min(position, len(data) - 1)] = rnd.randrange(32, 127)
    return bytes(data)


def main():
    pushgateway, vigil, seed, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    rnd = random.Random(seed)
    different = 0
    for index in range(count):
        body = mutate(rnd.choice(SEEDS), rnd) if rnd.random() < 0.8 else rnd.choice(SEEDS).encode()
        path = rnd.choice(PATHS)
        method = rnd.choice(['PUT', 'POST'])
        if rnd.random() < 0.05:
            method, body = 'DELETE', b''
        expected = request(pushgateway, method, path, body)
        got = request(vigil, method, path, body)
        if expected[0] != got[0]:
            different += 1
            print(f'  #{index} {method} {path} {body!r}: pushgateway {expected}, vigil {got}')
    print(f'fuzz: {count} requests, {different} with different status codes')
    sys.exit(1 if different else 0)


if __name__ == '__main__':
    main()
