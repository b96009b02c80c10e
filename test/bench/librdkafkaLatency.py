"""End-to-end latency with librdkafka (confluent-kafka), the client most non-Java users run.

Two roles, run as separate processes by test/bench/scenarios/latency.ts with /usr/bin/python3:

  consume PARAMS_JSON  joins a group with the client's defaults (auto-commit every 5 s in the
                       background, as the Java consumer does), prints "ready" once assigned,
                       then prints the latency of every measured record as JSON when the
                       producer's end marker arrives.
  produce PARAMS_JSON  sends RECORDS_PER_SEND records every SEND_INTERVAL_MS, first for the
                       warm-up (values "w:<ms>", not counted; measuring starts once they are
                       all delivered), then measured ("m:<ms>"), then one "end" record;
                       prints how many measured records it sent.

Values carry their creation time from time.time(), which both processes read from the same
clock. linger.ms=0 because a latency-sensitive producer sets it (librdkafka waits 5 ms by
default to fill batches).
"""

import json
import sys
import time

from confluent_kafka import Consumer, Producer

RECORDS_PER_SEND = 100
SEND_INTERVAL_S = 0.010


def now_ms():
    return time.time() * 1000.0


def consume(params):
    assigned = []
    consumer = Consumer({
        'bootstrap.servers': params['bootstrap'],
        'group.id': params['group'],
        'auto.offset.reset': 'earliest',
        'fetch.wait.max.ms': 100,
    })
    consumer.subscribe([params['topic']], on_assign=lambda _consumer, partitions: assigned.extend(partitions))
    deadline = time.time() + 30
    while not assigned:
        if time.time() > deadline:
            raise SystemExit('no partition assigned within 30 s')
        consumer.poll(0.05)
    print('ready', flush=True)
    latencies = []
    deadline = time.time() + params['maxSeconds']
    done = False
    while not done and time.time() < deadline:
        # poll hands over each record as soon as it is there; consume(num_messages=N) would
        # wait for N records or its timeout, adding its own delay to every record.
        message = consumer.poll(0.1)
        if message is None:
            continue
        if message.error():
            raise SystemExit(f'consume failed: {message.error()}')
        arrived = now_ms()
        value = message.value()
        if value == b'end':
            done = True
        elif value.startswith(b'm:'):
            latencies.append(arrived - float(value[2:]))
    consumer.close()
    print(json.dumps({'latencies': latencies, 'sawEnd': done}), flush=True)


def produce(params):
    producer = Producer({
        'bootstrap.servers': params['bootstrap'],
        'acks': str(params['acks']),
        'linger.ms': 0,
    })
    failures = []

    def delivered(error, _message):
        if error is not None:
            failures.append(str(error))

    def run(seconds, prefix):
        sent = 0
        next_at = time.monotonic()
        end = next_at + seconds
        while time.monotonic() < end:
            for _ in range(RECORDS_PER_SEND):
                producer.produce(params['topic'], value=f'{prefix}:{now_ms():.3f}'.encode(), on_delivery=delivered)
            sent += RECORDS_PER_SEND
            producer.poll(0)
            next_at += SEND_INTERVAL_S
            # Serve delivery reports while waiting for the next tick; late ticks catch up.
            while True:
                left = next_at - time.monotonic()
                if left <= 0:
                    break
                producer.poll(left)
        return sent

    run(params['warmupSeconds'], 'w')
    # The measured records start once every warm-up record is delivered. librdkafka may ask
    # for a new topic's metadata only at its next once-a-second topic scan (when the first
    # produce() comes after its first, brokers-only, Metadata request), which can hold the
    # first deliveries for a second; the backlog that leaves would otherwise fall on the
    # first measured records.
    producer.flush(30)
    sent = run(params['seconds'], 'm')
    producer.produce(params['topic'], value=b'end', on_delivery=delivered)
    producer.flush(30)
    if failures:
        raise SystemExit(f'{len(failures)} records failed, first: {failures[0]}')
    print(json.dumps({'sent': sent}), flush=True)


if __name__ == '__main__':
    role, params = sys.argv[1], json.loads(sys.argv[2])
    {'consume': consume, 'produce': produce}[role](params)
