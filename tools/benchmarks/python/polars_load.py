"""The best Python peer (issue 14): polars.read_excel with the calamine engine (fastexcel),
then DataFrame.write_database over ADBC (adbc-driver-postgresql) into the same PostgreSQL.
Runs in the `bench` virtualenv (tools/python/bench.txt). Prints one JSON line: rows,
seconds, CPU seconds, peak RSS."""
import json
import resource
import sys
import time

import adbc_driver_postgresql.dbapi as adbc
import polars as pl

path, url, schema = sys.argv[1], sys.argv[2], sys.argv[3]
url = url.replace("postgres://", "postgresql://", 1)
started = time.perf_counter()
frame = pl.read_excel(path, engine="calamine")
read_seconds = time.perf_counter() - started
with adbc.connect(url) as conn:
    with conn.cursor() as cur:
        cur.execute(f'create schema if not exists "{schema}"')
    conn.commit()
frame.write_database(f"{schema}.top_up", connection=url, engine="adbc", if_table_exists="replace")
seconds = time.perf_counter() - started
with adbc.connect(url) as conn:
    with conn.cursor() as cur:
        cur.execute(f'drop schema "{schema}" cascade')
    conn.commit()
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({
    "rows": frame.height,
    "seconds": seconds,
    "readSeconds": read_seconds,
    "cpuSeconds": usage.ru_utime + usage.ru_stime,
    "maxRssKb": usage.ru_maxrss,
}))
