#!/usr/bin/env python3
"""Scales the synthetic hospital month (indicators-month output) to a large month for
`cdacheck indicators` timings: N venues, M documents, T traces, every row referring to the same small
set of CDA files (the gate validates each distinct content once).
Usage: large-month.py MONTH_DIR OUT_DIR [--venues 100000] [--documents 300000] [--traces 300000]"""
import argparse, csv, os, shutil

ap = argparse.ArgumentParser()
ap.add_argument("src"); ap.add_argument("out")
ap.add_argument("--venues", type=int, default=100_000)
ap.add_argument("--documents", type=int, default=300_000)
ap.add_argument("--traces", type=int, default=300_000)
a = ap.parse_args()
os.makedirs(a.out, exist_ok=True)
for d in ("cda", "mss", "root"):
    if os.path.isdir(os.path.join(a.src, d)) and not os.path.exists(os.path.join(a.out, d)):
        shutil.copytree(os.path.join(a.src, d), os.path.join(a.out, d))

def read(name):
    with open(os.path.join(a.src, name), encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    return rows[0], rows[1:]

def write(name, header, rows):
    with open(os.path.join(a.out, name), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(header); w.writerows(rows)

def suffix(v, k): return f"{v}-{k}" if v else v

vh, vrows = read("venues.csv")
nv = -(-a.venues // len(vrows))          # replicas of the venue set
venues = [[suffix(r[0], k), suffix(r[1], k)] + r[2:] for k in range(nv) for r in vrows][: a.venues]
write("venues.csv", vh, venues)

ih, irows = read("identities.csv")
write("identities.csv", ih, [[suffix(r[0], k)] + r[1:] for k in range(nv) for r in irows])

dh, drows = read("documents.csv")
nd = -(-a.documents // len(drows))
docs = []
for k in range(nd):
    v = k % nv
    for r in drows:
        # IPP, venue, date, local id, type, file (same CDA file for every replica), ...
        docs.append([suffix(r[0], v), suffix(r[1], v), r[2], suffix(r[3], k)] + r[4:])
write("documents.csv", dh, docs[: a.documents])

th, trows = read("traces.csv")
traces = []
j = 0
while len(traces) < a.traces:
    k = j % nd; v = k % nv
    for r in trows:
        # local id, date, LOINC, IPP, status, venue
        traces.append([suffix(r[0], k), r[1], r[2], suffix(r[3], v), r[4], suffix(r[5], v)])
    j += 1
write("traces.csv", th, traces[: a.traces])
if os.path.exists(os.path.join(a.src, "mss.csv")):
    shutil.copy(os.path.join(a.src, "mss.csv"), os.path.join(a.out, "mss.csv"))
print(f"{len(venues)} venues, {len(docs[: a.documents])} documents, {min(len(traces), a.traces)} traces in {a.out}")
