"""Shared helpers for Akhbar's benchmarks (Python 3 standard library only).

- locating the repo, the built binaries and ../shared
- rendering a corpus (make-drop-corpus, or a small generated fallback set)
- starting/stopping akhbard on an empty store in a temp dir, time to READY=1
- a minimal Varlink client (JSON + NUL framing over a Unix socket)
- the unicode61 FTS5 floor (Python's sqlite3)
- statistics helpers
"""

import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH_DIR)
SHARED = os.environ.get("AKHBAR_SHARED", os.path.normpath(os.path.join(REPO, "..", "shared")))
TOOL = os.path.join(SHARED, "tools", "make-drop-corpus")
CORPUS_DIR = os.path.join(SHARED, "corpus", "saudinewsnet")
SCRATCH = os.environ.get("AKHBAR_BENCH_SCRATCH", ".build-bench")
BIN_DIR = os.environ.get("AKHBAR_BIN", os.path.join(REPO, SCRATCH, "release"))
FULL_COUNT = 31030


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def binary(name):
    path = os.path.join(BIN_DIR, name)
    if not os.access(path, os.X_OK):
        sys.exit(f"bench: {path} not found; build it first:\n"
                 f"  cd {REPO} && swift build -c release --scratch-path {SCRATCH} --product {name}")
    return path


def shared_available():
    return os.access(TOOL, os.X_OK) and os.path.isdir(CORPUS_DIR)


# ---------------------------------------------------------------- corpus

class Corpus:
    """A folder of drop files plus its manifest (one dict per article, with 'body')."""

    def __init__(self, folder, manifest, source):
        self.folder = folder
        self.manifest = manifest
        self.source = source  # "saudinewsnet" or "generated"
        self.files = sorted({m["path"] for m in manifest})

    @property
    def articles(self):
        return len(self.manifest)

    def distinct(self):
        return len({(m["title"], m["body_sha1"]) for m in self.manifest})

    def bytes(self):
        return sum(os.path.getsize(os.path.join(self.folder, p)) for p in self.files)


def make_corpus(out, count, seed="0", allow_fallback=True):
    """Renders `count` articles into `out` (created). Returns a Corpus."""
    manifest_path = out + ".manifest.jsonl"
    if shared_available():
        cmd = [TOOL, "--out", out, "--manifest", manifest_path, "--manifest-body", "--seed", seed, "--quiet"]
        if count != FULL_COUNT:
            cmd += ["--count", str(count)]
        subprocess.run(cmd, check=True)
        source = "saudinewsnet"
    else:
        if not allow_fallback:
            sys.exit("bench: ../shared is absent and this benchmark needs the real corpus")
        log(f"bench: NOTE: {SHARED} is absent (no make-drop-corpus / SaudiNewsNet corpus); "
            f"falling back to a small GENERATED set ({min(count, 3000)} pseudo-Arabic articles). "
            "Figures are not comparable with the corpus runs.")
        generate_fallback(out, manifest_path, min(count, 3000), seed)
        source = "generated"
    with open(manifest_path, encoding="utf-8") as f:
        manifest = [json.loads(line) for line in f]
    for m in manifest:
        m.setdefault("body", "")
    return Corpus(out, manifest, source)


_ROOTS = ["كتب", "درس", "علم", "عمل", "حكم", "سلم", "قتل", "نصر", "جمع", "فتح", "خرج", "دخل", "وزر", "ملك",
          "سفر", "طلب", "قرر", "شرك", "نظم", "صدر", "وقع", "بحث", "حرك", "نقل", "سكن", "زرع", "صنع", "تجر"]
_PATTERNS = ["{0}ا{1}{2}", "م{0}{1}و{2}", "{0}{1}ي{2}", "م{0}ا{1}{2}ة", "ا{0}{1}{2}", "{0}{1}{2}ات",
             "م{0}{1}{2}ين", "إ{0}{1}ا{2}", "{0}ا{1}{2}ة", "ت{0}{1}ي{2}", "أ{0}{1}{2}", "{0}{1}{2}ى"]
_PLACES = ["الرياض", "جدة", "مكة", "المدينة", "الدمام", "أبها", "تبوك", "حائل", "القصيم", "الطائف", "نجران", "جازان"]


def generate_fallback(out, manifest_path, count, seed):
    """Pseudo-Arabic articles (words from roots x patterns, ال/و/ب prefixes), one .txt file each."""
    rng = random.Random(f"akhbar-fallback-{seed}")
    words = [p.format(*r) for r in _ROOTS for p in _PATTERNS]
    os.makedirs(out, exist_ok=True)
    with open(manifest_path, "w", encoding="utf-8") as mf:
        for i in range(count):
            def word():
                w = rng.choice(words)
                r = rng.random()
                return ("ال" + w) if r < 0.3 else ("و" + w) if r < 0.4 else ("ب" + w) if r < 0.45 else w
            title = " ".join(word() for _ in range(rng.randint(4, 9)))
            paras = []
            for _ in range(rng.randint(2, 6)):
                sent = " ".join(word() for _ in range(rng.randint(20, 60)))
                paras.append(f"{rng.choice(_PLACES)} {sent}.")
            body = "\n\n".join(paras)
            path = f"{i:06d}_gen.txt"
            with open(os.path.join(out, path), "w", encoding="utf-8") as f:
                f.write(title + "\n\n" + body + "\n")
            import hashlib
            sha = hashlib.sha1(" ".join(body.split()).encode()).hexdigest()
            mf.write(json.dumps({"path": path, "format": "txt", "batch_index": None, "id": f"gen:{i}",
                                 "synthetic": True, "title": title, "body": body, "body_sha1": sha,
                                 "corpus_dups": 1, "bytes": 0}, ensure_ascii=False) + "\n")


def stage_links(corpus, stage):
    """Hard-links the corpus files into `stage` (same filesystem as the drop folder), keeping subfolders."""
    for p in corpus.files:
        dst = os.path.join(stage, p)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        try:
            os.link(os.path.join(corpus.folder, p), dst)
        except OSError:
            shutil.copyfile(os.path.join(corpus.folder, p), dst)


def move_all(corpus, stage, drop):
    """Renames every staged file into the drop folder (folders first, so each file is an IN_MOVED_TO)."""
    dirs = sorted({os.path.dirname(p) for p in corpus.files if os.path.dirname(p)})
    for d in dirs:
        os.makedirs(os.path.join(drop, d), exist_ok=True)
    for p in corpus.files:
        os.rename(os.path.join(stage, p), os.path.join(drop, p))


# ---------------------------------------------------------------- varlink

class Varlink:
    def __init__(self, path, timeout=60):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.buf = b""

    def send(self, method, parameters=None, more=False):
        msg = {"method": method}
        if parameters is not None:
            msg["parameters"] = parameters
        if more:
            msg["more"] = True
        self.sock.sendall(json.dumps(msg, ensure_ascii=False).encode() + b"\0")

    def recv(self):
        while True:
            i = self.buf.find(b"\0")
            if i >= 0:
                frame, self.buf = self.buf[:i], self.buf[i + 1:]
                reply = json.loads(frame)
                if "error" in reply:
                    raise RuntimeError(f"varlink error: {reply}")
                return reply
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise EOFError("connection closed")
            self.buf += chunk

    def call(self, method, parameters=None):
        self.send(method, parameters)
        return self.recv().get("parameters", {})

    def search(self, query, limit=10):
        return self.call("io.akhbar.Articles.Search", {"query": query, "limit": limit}).get("hits", [])

    def stats(self):
        return self.call("io.akhbar.Articles.Stats", {})

    def close(self):
        # shutdown() first: a plain close() does not end a recv() blocked in another thread, so the
        # daemon would keep seeing the connection open.
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


# ---------------------------------------------------------------- daemon

class Daemon:
    """akhbard on a store in `root` (drop/, store.sqlite, akhbar.sock), with NOTIFY_SOCKET for READY=1.
    `drop` and `store` put those elsewhere, so that two daemons can serve one store side by side."""

    def __init__(self, root, log_level="warning", extra=(), drop=None, store=None):
        self.root = root
        self.drop = drop or os.path.join(root, "drop")
        self.store = store or os.path.join(root, "store.sqlite")
        self.socket = os.path.join(root, "akhbar.sock")
        self.log_level = log_level
        self.extra = list(extra)
        self.proc = None
        os.makedirs(root, exist_ok=True)
        os.makedirs(self.drop, exist_ok=True)

    def start(self, timeout=600):
        """Starts akhbard; returns seconds from exec to READY=1."""
        notify_path = os.path.join(self.root, "notify.sock")
        if os.path.exists(notify_path):
            os.unlink(notify_path)
        ns = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        ns.bind(notify_path)
        ns.settimeout(1.0)
        env = dict(os.environ, NOTIFY_SOCKET=notify_path)
        env.pop("LISTEN_FDS", None)
        env.pop("LISTEN_PID", None)
        self.stderr = open(os.path.join(self.root, "akhbard.stderr"), "ab")
        t0 = time.monotonic()
        self.proc = subprocess.Popen(
            [binary("akhbard"), "--drop", self.drop, "--store", self.store, "--socket", self.socket,
             "--log-level", self.log_level] + self.extra,
            stdout=subprocess.DEVNULL, stderr=self.stderr, env=env)
        try:
            while True:
                if time.monotonic() - t0 > timeout:
                    raise RuntimeError("akhbard did not send READY=1 in time")
                if self.proc.poll() is not None:
                    raise RuntimeError(f"akhbard exited with {self.proc.returncode}; see {self.stderr.name}")
                try:
                    data = ns.recv(4096)
                except socket.timeout:
                    continue
                if b"READY=1" in data.split(b"\n"):
                    ready = time.monotonic() - t0
                    break
        finally:
            ns.close()
        # The socket must answer too.
        for _ in range(500):
            try:
                Varlink(self.socket).close()
                break
            except OSError:
                time.sleep(0.01)
        return ready

    @property
    def pid(self):
        return self.proc.pid

    def status(self, key):
        """A /proc/PID/status field in kB (VmHWM, VmRSS), or None."""
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith(key + ":"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def cpu_seconds(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        tck = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / tck

    def stop(self, timeout=120):
        if self.proc and self.proc.poll() is None:
            t0 = time.monotonic()
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                log(f"bench: WARNING: akhbard did not exit within {timeout}s of SIGTERM; killed it")
                self.proc.kill()
                self.proc.wait()
            took = time.monotonic() - t0
            self.stop_seconds = took
            if took > 5:
                log(f"bench: WARNING: akhbard took {took:.1f}s to exit after SIGTERM")
        rc = self.proc.returncode if self.proc else None
        self.proc = None
        return rc


def wait_ingested(client, files, articles=None, timeout=3600, poll=0.05, on_poll=None):
    """Polls Stats until `files` files are known and nothing is queued (and, if given, >= `articles`).
    Returns (seconds waited, last stats)."""
    t0 = time.monotonic()
    while True:
        s = client.stats()
        if on_poll:
            on_poll(s)
        if s.get("files", 0) >= files and s.get("queued", 1) == 0 and (articles is None or s.get("articles", 0) >= articles):
            return time.monotonic() - t0, s
        if time.monotonic() - t0 > timeout:
            raise RuntimeError(f"ingest did not finish in {timeout}s: {s}")
        time.sleep(poll)


def wait_quiet(daemon, window=1.0, limit=300):
    """Waits until the daemon uses (almost) no CPU for `window` seconds; returns the seconds waited."""
    t0 = time.monotonic()
    time.sleep(window)
    last = daemon.cpu_seconds()
    while time.monotonic() - t0 < limit:
        time.sleep(window)
        now = daemon.cpu_seconds()
        if now - last < 0.02 * window:
            break
        last = now
    return time.monotonic() - t0


# ---------------------------------------------------------------- unicode61 floor

def floor_build(path, manifest, tokenize="unicode61"):
    """The storage floor: titles and bodies into a plain FTS5 table, one transaction. Returns (seconds, db)."""
    if os.path.exists(path):
        os.unlink(path)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(f"CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='{tokenize}')")
    rows = [(i, m["title"], m["body"]) for i, m in enumerate(manifest)]
    t0 = time.perf_counter()
    db.execute("BEGIN")
    db.executemany("INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)", rows)
    db.execute("COMMIT")
    return time.perf_counter() - t0, db


def fts_quote(words):
    return " ".join('"' + w.replace('"', '""') + '"' for w in words if w)


def floor_search(db, words, limit=10, snippets=True):
    """The words as an FTS5 AND query ranked by bm25; with `snippets`, each hit's title and a
    highlighted snippet too, as a search result shows (SQLite's own `snippet()`)."""
    q = fts_quote(words)
    if not q:
        return []
    # ORDER BY rank (bm25 by default) lets FTS5 hand the rows over already sorted, so SQLite computes
    # the snippets of the rows returned only, as a search that shows ten hits should.
    sql = ("SELECT rowid, title, snippet(docs, 1, '[', ']', '…', 24) FROM docs WHERE docs MATCH ? "
           "ORDER BY rank LIMIT ?") if snippets else \
        "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?"
    try:
        return [r[0] for r in db.execute(sql, (q, limit))]
    except sqlite3.OperationalError:
        return []


# ---------------------------------------------------------------- words and stats

ARABIC_LETTERS = set(chr(c) for c in range(0x0621, 0x064B)) | {"\u0671", "\u067E", "\u0686", "\u06A4", "\u06AF"}


def arabic_words(text):
    """Whitespace words stripped of punctuation, kept when they are all Arabic letters."""
    out = []
    for w in text.split():
        w = w.strip(".,;:!?()[]{}«»\"'“”‘’،؛؟-–—…/\\*#|")
        if len(w) >= 2 and all(ch in ARABIC_LETTERS for ch in w):
            out.append(w)
    return out


def make_queries(corpus, n, seed=1):
    """1-4 consecutive Arabic words from random article bodies."""
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        m = rng.choice(corpus.manifest)
        words = arabic_words(m["body"])
        if len(words) < 8:
            continue
        k = rng.choice([1, 2, 2, 3, 3, 4])
        i = rng.randrange(0, len(words) - k)
        out.append(words[i:i + k])
    return out


def pct(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def median(values):
    return statistics.median(values) if values else float("nan")


def tempdir(prefix):
    base = os.environ.get("AKHBAR_BENCH_TMP") or None
    return tempfile.mkdtemp(prefix=prefix, dir=base)


def fmt(x, digits=1):
    if x is None or (isinstance(x, float) and x != x):
        return "—"
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    return f"{x:,}"
