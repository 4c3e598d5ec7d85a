"""Durations counted in fixed buckets, so monthly rollups can be merged and still give medians and p90.

A duration d falls in bucket k when EDGES[k-1] < d <= EDGES[k] (bucket 0 holds 0..1 minute, the last
bucket everything above a year). A percentile read from a histogram is the upper edge of the bucket
holding the nearest-rank value: never below the exact figure, and above it by at most the bucket's
width: one minute up to 10 minutes, 5 minutes up to an hour, at most an hour up to 12 hours, then
at most 25 % of the value (MAX_RELATIVE_ERROR). Durations on an edge (whole hours up to 12 h, 14 h,
16 h, 24 h, 48 h, 7 days…) come out exact.
"""
import bisect
import math
from itertools import pairwise

import numpy as np

MINUTE, HOUR, DAY = 60, 3600, 86400

_MINUTES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]
_HOURS = [1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 18, 20, 22, 24, 27, 30, 33, 36,
          42, 48, 54, 60, 66, 72, 84, 96, 108, 120, 132, 144, 156, 168]
_DAYS = [8, 9, 10, 11, 12, 13, 14, 16, 18, 20, 22, 24, 26, 28, 31, 35, 40, 45, 50, 60, 70, 80, 90, 105, 120,
         150, 180, 210, 240, 270, 300, 330, 366]
EDGES = tuple([m * MINUTE for m in _MINUTES] + [int(h * HOUR) for h in _HOURS] + [d * DAY for d in _DAYS])
SIZE = len(EDGES) + 1  # the last bucket is open-ended
PACKED = np.dtype("<i4")
# Above 12 hours the step is relative; below it is at most 5 minutes (under an hour) or an hour.
MAX_RELATIVE_ERROR = max((b - a) / a for a, b in pairwise(EDGES) if a >= 12 * HOUR)


def bucket_of(seconds):
    """Return the bucket index of a duration in seconds (negative durations count as zero)."""
    return bisect.bisect_left(EDGES, max(0.0, seconds))


def empty():
    """Return a histogram with every bucket at zero."""
    return [0] * SIZE


def add(hist, seconds):
    """Count one duration into a full-length histogram (in place)."""
    hist[bucket_of(seconds)] += 1


def pack(values):
    """Return counts as rollups store them: little-endian int32, trailing zeros left out.

    Binary rather than JSON because a year's dashboard reads thousands of rows: numpy turns them all
    into one array at once, where decoding JSON took most of the request.
    """
    end = len(values)
    while end and not values[end - 1]:
        end -= 1
    return np.asarray(values[:end], dtype=PACKED).tobytes()


def unpack_all(blobs, width):
    """Return an array of shape (len(blobs), width) of packed counts."""
    size = width * PACKED.itemsize
    joined = b"".join(bytes(blob or b"").ljust(size, b"\0") for blob in blobs)
    return np.frombuffer(joined, dtype=PACKED).reshape(len(blobs), width)


def nearest_rank(count, fraction):
    """Return the 1-based nearest rank of a percentile: the smallest rank covering `fraction` of `count`."""
    return max(1, math.ceil(round(fraction * count, 9)))


def percentile(hist, fraction):
    """Return the duration in seconds at a percentile of a histogram (bucket upper edge), or None when empty."""
    total = sum(hist)
    if not total:
        return None
    rank, seen = nearest_rank(total, fraction), 0
    for index, count in enumerate(hist):
        seen += count
        if seen >= rank:
            return float(EDGES[index]) if index < len(EDGES) else float(EDGES[-1])
    return None
