"""A reader that stops early (`| head`) is not an error of the command."""

import os
import subprocess
import sys


def test_output_into_a_closed_pipe_exits_cleanly(tmp_path):
    env = {**os.environ, "MSTRACKER_NOW": "2027-06-20T10:00", "MSTRACKER_DB": str(tmp_path / "db.sqlite3")}
    run = [sys.executable, "-m", "mstracker.cli"]
    subprocess.run(run + ["patient", "add", "--name", "Anna"], env=env, check=True, capture_output=True)
    subprocess.run(run + ["journey", "start", "1", "--protocol", "cy-atg", "--on", "2027-03-01"], env=env, check=True)
    for phase, on in (("cells_stored", "2027-03-12"), ("conditioning", "2027-05-25"), ("transplant", "2027-05-31"),
                      ("immune_rebuild", "2027-06-16")):
        subprocess.run(run + ["journey", "advance", "1", phase, "--on", on], env=env, check=True)
    proc = subprocess.Popen(run + ["schedule", "1"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()  # like `head -1`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, err
    assert first.strip() and "error" not in err
