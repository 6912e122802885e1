"""The cost of refusing hostile documents against reading valid ones, in one run.

Each hostile document is refused by :func:`successkit.serialization.from_json`;
each is compared with reading a valid Portfolio document of sample accounts of
about the same size, in the same process. Times are CPU seconds (best of a few
runs); peak memory is the peak of Python allocations traced while reading
(``tracemalloc``, in a run of its own, since tracing slows the code it traces),
not counting the input text, which both sides hold before they start. Ratios
are per byte: the valid reading scaled to the hostile document's size.

Run: ``python benchmarks/bench_refusal.py [--large-mb 49] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from collections.abc import Callable

from successkit.errors import ValidationError
from successkit.model import Portfolio
from successkit.samples import DEMO_AS_OF, sample_portfolio
from successkit.serialization import DEFAULT_MAX_BYTES, from_json, to_json

ENVELOPE = '{{"schema_version":1,"type":"Portfolio","data":{{"accounts":[{}]}}}}'


def d1_bad_items(size: int) -> str:
    """D1: a portfolio whose accounts are all the number 1."""
    return ENVELOPE.format(",".join(["1"] * (size // 2)))


def d1_empty_interactions(size: int) -> str:
    """D1: one account with nothing but empty interactions."""
    empties = ",".join(["{}"] * (size // 3))
    account = '{"id":"a","relationship":{"interactions":[' + empties + "]}}"
    return ENVELOPE.format(account)


def d2_deep(size: int) -> str:
    """D2: one bracket chain as deep as the size allows."""
    half = size // 2
    return "[" * half + "]" * half


def d2_chains(size: int) -> str:
    """D2: chains 58 deep side by side (62 with the envelope): within max_depth."""
    chain = "[" * 58 + "]" * 58
    return ENVELOPE.format(",".join([chain] * (size // (len(chain) + 1))))


def d2_small_containers(size: int) -> str:
    """D2: empty arrays in place of accounts, as densely as JSON allows."""
    return ENVELOPE.format(",".join(["[]"] * (size // 3)))


def d2_densest_accepted(size: int) -> str:
    """D2: empty arrays spaced out to the density the scan accepts (one per 8 bytes)."""
    return ENVELOPE.format(",".join(["[]     "] * (size // 8)))


def valid(size: int) -> str:
    """A valid portfolio of sample accounts of about ``size`` bytes (within max_bytes)."""
    target = min(size, 0.97 * DEFAULT_MAX_BYTES)
    count, text = 20, ""
    for _ in range(3):  # accounts vary in size: aim, measure, aim again
        text = to_json(sample_portfolio(count, seed=0, as_of=DEMO_AS_OF))
        count = max(1, round(count * target / len(text)))
    if read(text) != "read":
        msg = f"the valid reference was not read: {read(text)}"
        raise RuntimeError(msg)
    return text


def read(text: str) -> str:
    try:
        from_json(text, Portfolio)
    except ValidationError as error:
        return f"refused: {error.errors[0]}"[:110]
    return "read"


def cpu(action: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        action()
        best = min(best, time.process_time() - start)
    return best


def peak(action: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large-mb", type=float, default=49.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    small, large = 4 * 1024 * 1024, int(args.large_mb * 1024 * 1024)
    cases = [
        ("D1 2M bad accounts", d1_bad_items, small),
        ("D1 empty interactions", d1_empty_interactions, small // 7),
        ("D2 [ x 2**21 + ] x 2**21", d2_deep, small),
        ("D2 [ x 10**6 + ] x 10**6", d2_deep, 2_000_000),
        ("D2 62-deep chains", d2_chains, large),
        ("D2 2M empty arrays", d2_small_containers, 6 * 1024 * 1024),
        ("D2 empty arrays, 1 per 8 B", d2_densest_accepted, 6 * 1024 * 1024),
    ]
    references: dict[int, tuple[int, float, int]] = {}
    print("document                     bytes      outcome")
    rows = []
    for name, build, size in cases:
        text = build(size)
        outcome = read(text)
        seconds = cpu(lambda t=text: read(t), args.repeat if size < large else 1)
        memory = peak(lambda t=text: read(t))
        bucket = size
        if bucket not in references:
            reference = valid(size)
            ref_seconds = cpu(lambda r=reference: read(r), args.repeat if size < large else 1)
            ref_memory = peak(lambda r=reference: read(r))
            references[bucket] = (len(reference), ref_seconds, ref_memory)
            del reference
        ref_bytes, ref_seconds, ref_memory = references[bucket]
        scale = len(text) / ref_bytes
        rows.append((name, len(text), seconds, memory, ref_bytes, ref_seconds, ref_memory, scale))
        print(f"{name:<28} {len(text):>10,} {outcome}")
        del text
    print()
    print(
        "document                     refuse s  peak MB | valid bytes  read s  peak MB "
        "| time x  memory x"
    )
    for name, _size, seconds, memory, ref_bytes, ref_seconds, ref_memory, scale in rows:
        print(
            f"{name:<28} {seconds:8.3f} {memory / 1e6:8.1f} | {ref_bytes:>11,} "
            f"{ref_seconds:7.2f} {ref_memory / 1e6:8.1f} "
            f"| {seconds / (ref_seconds * scale):6.3f} {memory / (ref_memory * scale):7.3f}"
        )


if __name__ == "__main__":
    main()
