import csv


def chunked_group_mean(csv_path, key, value, chunksize):
    """The standard library's csv reader, one row at a time: memory holds only the running totals."""
    totals, counts = {}, {}
    with open(csv_path, newline="") as fh:
        for row in csv.DictReader(fh):
            if row[value] == "":
                continue
            k = row[key]
            totals[k] = totals.get(k, 0.0) + float(row[value])
            counts[k] = counts.get(k, 0) + 1
    return {k: totals[k] / counts[k] for k in totals}
