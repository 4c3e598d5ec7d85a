"""bench/load.py --peak: the national peak's request rates, open-loop arrivals over two servers, server CPU from /proc.

The rate comes from the national figures of issue 18: about 2,300 PAO council members in 76 PAOs file the
reports. Assumed daily ceiling: 5 reports per member on the busiest ordinary day, 11,500 a day nationally
(about twice the 2 M reports a year the other benches take as national scale, 5,500 a day on average). A launch
spike of 13x that day (as Traffy Fondue saw in Bangkok) compressed into one hour is 149,500 filings in an hour,
41.5 filings per second. Each filing is a member's form page, the POST and the receipt; beside it the desks
work the queues (DESK_CYCLES_PER_FILING cycles of queue, report page and, when still new, acknowledge) and
coordinators and members read the dashboard (DASHBOARDS_PER_FILING).
"""
import os
import queue
import random
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench._load_clients import Client, Recorder, _percentile

NATIONAL_MEMBERS = 2300
PER_MEMBER_DAY = 5
SPIKE = 13
DESK_CYCLES_PER_FILING = 1.0
DASHBOARDS_PER_FILING = 0.2
TARGETS_MS = {"member: file report": 150, "desk: queue": 100, "coordinator: dashboard": 100}


def peak_filing_rate(members=NATIONAL_MEMBERS, per_member_day=PER_MEMBER_DAY, spike=SPIKE):
    """Return filings per second: spike x the national daily ceiling, in one hour."""
    return members * per_member_day * spike / 3600


def describe_rate(members, per_member_day, spike, scale):
    """Return the lines that state the assumption and the rates driven."""
    daily = members * per_member_day
    rate = peak_filing_rate(members, per_member_day, spike)
    return [f"national peak: {members:,} council members x {per_member_day:g} reports a day (assumed daily "
            f"ceiling) = {daily:,.0f} a day; x{spike:g} in one hour = {daily * spike:,.0f} filings = "
            f"{rate:.1f} filings/s",
            f"driven at {scale:.0%} of it: {rate * scale:.1f} filings/s (form page, POST, receipt), "
            f"{rate * scale * DESK_CYCLES_PER_FILING:.1f} desk cycles/s (queue, report page, acknowledge when new), "
            f"{rate * scale * DASHBOARDS_PER_FILING:.1f} dashboards/s"]


def load_average():
    """Return the 1-minute load average text of this machine."""
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def worker_pids(master_pid):
    """Return the pids whose parent is master_pid (gunicorn's workers); Linux /proc only."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == master_pid:
            pids.append(int(stat.parent.name))
    return pids


def cpu_ticks(pids):
    """Return {pid: utime + stime in clock ticks} of the processes still alive."""
    ticks = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks[pid] = int(fields[11]) + int(fields[12])
    return ticks


def cpu_seconds_between(before, after):
    """Return the CPU seconds the processes used between two cpu_ticks readings (a worker that died is lost)."""
    return sum(after[pid] - before.get(pid, 0) for pid in after) / os.sysconf("SC_CLK_TCK")


def schedule(duration, rates, rng):
    """Return [(second, role)] arrivals for each role's rate, evenly spaced from a random phase, in time order."""
    arrivals = []
    for role, rate in rates.items():
        if rate <= 0:
            continue
        gap, start = 1 / rate, rng.random() / rate
        arrivals += [(start + n * gap, role) for n in range(int((duration - start) * rate) + 1)
                     if start + n * gap < duration]
    return sorted(arrivals)


def run_peak(ports, seeded, *, filing_rate, duration, seed, masters):
    """Drive the arrivals open-loop against the servers' ports; return a dict of figures and the Recorder.

    Every arrival takes an idle signed-in client of its role (members, desks, coordinators spread over the ports)
    and runs one step on a thread of its own; latency counts from sending. When no client of the role is idle,
    the arrival waits: that wait is the schedule lag, which shows the machine could not keep the rate. Arrivals
    still waiting when the duration is over are dropped, so a machine that cannot keep up runs as fast as it can
    for the duration and the achieved rate says how fast that was.
    """
    recorder, rng = Recorder(), random.Random(seed)
    people = ([("member", u) for u in seeded.members] + [("desk", u) for u in seeded.desks]
              + [("coordinator", u) for u in seeded.coordinators])
    idle = {role: queue.Queue() for role in ("member", "desk", "coordinator")}
    for n, (role, username) in enumerate(people):
        client = Client(role, username, port=ports[n % len(ports)], recorder=recorder, clock={}, seeded=seeded,
                        seed=seed * 1000 + n)
        if client._sign_in():
            idle[role].put(client)
    rates = {"member": filing_rate, "desk": filing_rate * DESK_CYCLES_PER_FILING,
             "coordinator": filing_rate * DASHBOARDS_PER_FILING}
    warm_up([client for q in idle.values() for client in list(q.queue)], recorder)
    arrivals = schedule(duration, rates, rng)
    pids = [pid for master in masters for pid in worker_pids(master)]
    lags, load_before = [], load_average()
    cpu_before = cpu_ticks(pids)

    def step(client, role):
        try:
            getattr(client, f"_{role}")()
        finally:
            idle[role].put(client)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        for at, role in arrivals:
            delay = started + at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            client = idle[role].get()
            if time.monotonic() - started > duration:
                break  # behind the schedule at the end: the arrivals left are not sent (the rate says so)
            lags.append(time.monotonic() - started - at)
            pool.submit(step, client, role)
    elapsed = time.monotonic() - started
    cpu = cpu_seconds_between(cpu_before, cpu_ticks(pids))
    filings = len(recorder.samples.get("member: file report", []))
    return {"elapsed": elapsed, "arrivals": len(lags), "filings": filings, "cpu": cpu, "workers": len(pids),
            "lag_p95": _percentile(sorted(lags), 95), "lag_max": max(lags, default=0.0),
            "load_before": load_before, "load_after": load_average()}, recorder


def warm_up(clients, recorder):
    """Let every client take one step unrecorded, so each worker has built its routing and tambon indexes."""
    throwaway = Recorder()
    for client in clients:
        client.recorder = throwaway
        getattr(client, f"_{client.role}")()
        client.recorder = recorder
    if throwaway.error_count:
        for (kind, cause), count in throwaway.errors.items():
            recorder.error(f"warm-up {kind}", f"{cause} x{count}")


def print_peak(figures, recorder, *, filing_rate, duration):
    """Print the per-endpoint table, whether the machine kept the rate, the targets and server CPU per filing."""
    elapsed, filings = figures["elapsed"], figures["filings"]
    print(f"\npeak: {recorder.requests} requests from {figures['arrivals']} arrivals in {elapsed:.1f} s, "
          f"errors {recorder.error_count}, conflicts (409) {recorder.conflicts}; load average "
          f"{figures['load_before']} before, {figures['load_after']} after")
    for line in recorder.report(elapsed):
        print(line)
    achieved = filings / elapsed if elapsed else 0.0
    kept = achieved >= 0.9 * filing_rate and figures["lag_p95"] < 0.5
    print(f"filings {filings} = {achieved:.1f}/s of {filing_rate:.1f}/s scheduled; schedule lag p95 "
          f"{figures['lag_p95'] * 1000:.0f} ms, max {figures['lag_max'] * 1000:.0f} ms: "
          + ("the machine kept the rate" if kept else
             "the machine could NOT keep the rate: this ran as fast as it could"))
    for kind, target in TARGETS_MS.items():
        p95 = _percentile(sorted(recorder.samples.get(kind, [])), 95) * 1000
        print(f"target {kind} p95 <= {target} ms: {p95:.1f} ms, {'meets' if p95 <= target else 'MISSES'}")
    per_filing = figures["cpu"] / filings * 1000 if filings else 0.0
    print(f"server CPU: {figures['cpu']:.2f} s in {figures['workers']} gunicorn workers = {per_filing:.1f} ms per "
          f"filing (all requests the workers served, desk and oversight included, divided by the filings)")
