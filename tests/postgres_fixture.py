"""A throwaway PostgreSQL cluster for the clinic-database tests (a clinic shares one PostgreSQL database; these tests run the same code against it).

Started once per test session on a loopback port with a private socket folder, as the `postgres` user
when running as root (the server refuses root), and stopped at exit. Every test gets a fresh database.
There is no skip: without PostgreSQL's server programs the tests fail and say how to install them.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

MISSING = ("PostgreSQL's server programs (initdb, pg_ctl) were not found in /usr/lib/postgresql/*/bin; "
           "install Debian's `postgresql` package (`bash .ci/run` does) — the clinic-database tests always run")


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self) -> None:
        bin_dir = _bin_dir()
        if bin_dir is None:
            pytest.fail(MISSING, pytrace=False)
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="mstracker-pg-"))
        self.data, self.sock, self.log = self.root / "data", self.root / "sock", self.root / "server.log"
        self.sock.mkdir()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
            shutil.chown(self.sock, "postgres", "postgres")
        self.port = _free_port()
        # A server zone other than UTC on purpose: stored times must not depend on it.
        env = {**os.environ, "TZ": "Europe/London", "LC_ALL": "C.UTF-8"}
        self._run(["initdb", "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "-D", str(self.data)], env)
        # The superuser connects without a password; every other login (the clinic's people) needs its own, as
        # on a real server, so that a wrong password is refused.
        (self.data / "pg_hba.conf").write_text(
            "local all all trust\nhost all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n")
        self._run(["pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data), "-l", str(self.log), "-o",
                   f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c max_connections=60"], env)
        self._names = itertools.count(1)

    def _run(self, argv: list[str], env: dict[str, str]) -> None:
        cmd = [str(self.bin / argv[0]), *argv[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=self.root)
        if done.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            pytest.fail(f"PostgreSQL test cluster: {' '.join(argv[:2])} failed:\n{done.stdout}{done.stderr}{log}",
                        pytrace=False)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def login_url(self, url: str, login: str, password: str) -> str:
        """The same database as `url`, connecting as another login."""
        return url.replace("postgres@", f"{login}:{password}@", 1)

    def new_database(self) -> str:
        import psycopg

        name = f"t{os.getpid()}_{next(self._names)}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        subprocess.run(
            (["runuser", "-u", "postgres", "--"] if self.as_root else [])
            + [str(self.bin / "pg_ctl"), "stop", "-m", "immediate", "-D", str(self.data)],
            capture_output=True, cwd=self.root)
        shutil.rmtree(self.root, ignore_errors=True)


_cluster: Cluster | None = None


def cluster() -> Cluster:
    """The session's one cluster, started on first use."""
    global _cluster
    if _cluster is None:
        _cluster = Cluster()
        atexit.register(_cluster.stop)
    return _cluster


@pytest.fixture(scope="session")
def postgres_cluster() -> Cluster:
    return cluster()


@pytest.fixture
def postgres_url(postgres_cluster: Cluster) -> str:
    """A fresh, empty database on the session's cluster: `postgresql+psycopg://postgres@127.0.0.1:PORT/DB`."""
    return postgres_cluster.new_database()
