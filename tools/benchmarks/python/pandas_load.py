"""The old Python pipeline, as the baseline SP01 must beat: pandas.read_excel, then
DataFrame.to_sql into PostgreSQL. Prints one JSON line: rows, seconds, peak RSS."""
import json
import resource
import sys
import time

import pandas as pd
from sqlalchemy import create_engine, text

path, url, schema = sys.argv[1], sys.argv[2], sys.argv[3]
started = time.perf_counter()
frame = pd.read_excel(path, engine="openpyxl")
read_seconds = time.perf_counter() - started
engine = create_engine(url.replace("postgres://", "postgresql+psycopg2://", 1))
with engine.begin() as conn:
    conn.execute(text(f'create schema if not exists "{schema}"'))
frame.to_sql("top_up", engine, schema=schema, if_exists="replace", index=False, chunksize=10_000)
seconds = time.perf_counter() - started
with engine.begin() as conn:
    conn.execute(text(f'drop schema "{schema}" cascade'))
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({
    "rows": int(len(frame)),
    "cpuSeconds": usage.ru_utime + usage.ru_stime,
    "seconds": seconds,
    "readSeconds": read_seconds,
    "maxRssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
