"""bench/load.py --peak: a seeded scratch database, two gunicorn servers sharing it (and Redis), the peak, figures."""
import shutil
import tempfile
import time
import uuid
from pathlib import Path

from bench._peak import SPIKE, describe_rate, peak_filing_rate, print_peak, run_peak
from bench._server import Gunicorn, drop_database, engine_name, free_port, migrate, scratch_database, server_env


def limiter_env(redis_url):
    """Return the environment that counts rate limits in Redis across both servers, or {} when Redis is silent.

    The limits stay far above what the bench sends (a few dozen members file for 2,300), so they cost what
    they cost in production, a Redis round trip per limited request, without refusing anything."""
    try:
        import redis

        redis.Redis.from_url(redis_url, socket_timeout=2).ping()
    except Exception as error:  # noqa: BLE001 (any failure: the bench runs without limits and says so)
        print(f"Redis at {redis_url} does not answer ({type(error).__name__}): rate limits off")
        return {}
    return {"RATELIMIT_ENABLED": "true", "RATELIMIT_STORAGE_URI": redis_url,
            "RATELIMIT_KEY_PREFIX": f"peak{uuid.uuid4().hex[:8]}", "SUBMIT_RATE_LIMIT": "1000000 per hour",
            "LOGIN_RATE_LIMIT": "100000 per minute"}


def run_national_peak(args):
    """Set up, run and print the national peak; return the exit code (1 when any request failed)."""
    workdir = Path(tempfile.mkdtemp(prefix="ruamkan_peak_"))
    url = scratch_database(args.database_url, workdir, "peak")
    servers = []
    try:
        from bench._seed import bench_app, seed_people, seed_reports

        started = time.monotonic()
        migrate(url, workdir)
        app = bench_app(url, workdir)
        seeded = seed_people(app, members=args.clients, desks=max(3, args.clients // 2),
                             coordinators=max(1, args.clients // 4), areas=not args.no_areas)
        seed_reports(app, args.reports, seed=args.seed)
        env = server_env(url, workdir)
        limits = limiter_env(args.redis_url)
        env.update(limits)
        rate = peak_filing_rate(per_member_day=args.per_member_day) * args.rate_scale
        print(f"peak on {engine_name(url)}: 2 gunicorn servers x {args.workers} workers sharing one database"
              f"{', rate limits counted in Redis' if limits else ''}; {len(seeded.members)} members, "
              f"{len(seeded.desks)} desk officers, {len(seeded.coordinators)} coordinators signed in, spread over "
              f"both; {args.reports} reports seeded; set up in {time.monotonic() - started:.0f} s", flush=True)
        for line in describe_rate(2300, args.per_member_day, SPIKE, args.rate_scale):
            print(line, flush=True)
        for name in ("a", "b"):
            server = Gunicorn("wsgi:app", env=env, workers=args.workers, port=free_port(),
                              log_path=workdir / f"gunicorn_{name}.log")
            servers.append(server)
            server.start(ready_path="/healthz")
        figures, recorder = run_peak([s.port for s in servers], seeded, filing_rate=rate, duration=args.duration,
                                     seed=args.seed, masters=[s.process.pid for s in servers])
        print_peak(figures, recorder, filing_rate=rate, duration=args.duration)
        print(f"errors: {recorder.error_count}")
        if recorder.error_count and args.keep:
            for server in servers:
                print(f"server log ({server.port}): {server.log_tail(15)}")
        return 1 if recorder.error_count else 0
    finally:
        for server in servers:
            server.stop()
        if not args.keep:
            if args.database_url:
                drop_database(url)
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"kept: {url} and {workdir}")
