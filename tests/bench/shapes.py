#!/usr/bin/env python3
"""The result documents of `make bench` (tests/bench/run.sh): SysOM
get-diagnosis-result replies of about 20 MB each, of several shapes.

usage: shapes.py ENVELOPE OUTDIR [SHAPE...]

ENVELOPE is the simulator's own get-diagnosis-result answer for a task
whose result is the string "@@RESULT@@"; each shape's result text takes
the place of that string (quotes included), so the reply is the
simulator's, byte for byte, around a result written here.  Writing the
result here, not through the simulator, keeps its bytes as chosen: \\uXXXX
escapes, surrogate pairs, \\t and \\" stay as they are (the simulator
would re-print them).

For each SHAPE (default: all), OUTDIR gets SHAPE.reply.json and
SHAPE.meta.json:
  issues    the number of issues (each an object with a severity)
  overall   summary.overall_status, which decides pai-diag's exit code
  exit      that exit code (docs/cli.md: Info 0, Warn 10, Critical 11)
  secrets   strings that must appear in no output of pai-diag (planted as
            values of secret-named keys, or in prose after one)
  prose     {phrase: count}: key-like phrases that are no secrets, and how
            often the result holds each (the text report prints every one
            of them once, the JSON report twice: issues and result)
  describe  one line for the table
SHAPE_BYTES (environment) sets the reply size, default 20000000.
"""
import json
import os
import re
import sys

TARGET = int(os.environ.get("SHAPE_BYTES", "20000000"))
SEP = (", ", ": ")
SEVERITIES = ("Warn", "Critical", "Info", "Warn")
SUBSYSTEMS = ("gpu", "network", "storage", "memory", "scheduler")


def dumps(v, ascii_only=False):
    return json.dumps(v, ensure_ascii=ascii_only, separators=SEP)


def fill(text, n):
    """text repeated and cut to n characters."""
    return (text * (n // len(text) + 1))[:n]


def document(summary, issue_texts):
    """The result's JSON text from a summary and the issues' JSON texts."""
    return '{"summary": ' + dumps(summary) + ', "issues": [\n' + ",\n".join(issue_texts) + "\n]}"


def until_full(make, cost, budget):
    """Issue texts make(0), make(1), ... while their cost fits the budget."""
    out, used, i = [], 0, 0
    while True:
        t = make(i)
        c = cost(t) + 2
        if used + c > budget and out:
            return out
        out.append(t)
        used += c
        i += 1


# --- 1. many-small ---------------------------------------------------------
SMALL_ISSUES = 50000
FILLER = ("the kernel reported ECC retries on bus 0000:3b:00.0 while the job "
          "ran at batch=64, lr=3e-4; NCCL all-reduce waited 1.7 s per step; ")


def small_issue(i, detail_len):
    gpu = i % 8
    sentence = "GPU %d: util=%d%% since 10:%02d; " % (gpu, 90 + i % 10, i % 60)
    return dumps({
        "item": "gpu-%d" % gpu,
        "subsystem": SUBSYSTEMS[i % len(SUBSYSTEMS)],
        "severity": SEVERITIES[i % len(SEVERITIES)],
        "title": "issue %d: GPU %d saturated" % (i, gpu),
        "detail": sentence + fill(FILLER, detail_len),
        "metrics": {"util": 90 + i % 10, "temp_c": 71.5 + (i % 10) / 4,
                    "since_s": 3120 + i},
    })


def calibrate(make, budget, n, step=100):
    """The padding x that makes make(0..n-1, x) about budget bytes: the
    size is linear in x; measured on a sample of the issues."""
    sample = range(0, n, max(1, n // 500))

    def avg(x):
        return sum(len(make(i, x).encode()) + 2 for i in sample) / len(sample)
    a, b = avg(0), avg(step)
    return max(0, int((budget / n - a) / ((b - a) / step)))


def small_detail_len(budget, n):
    """The detail length that makes n small issues about budget bytes."""
    return calibrate(small_issue, budget, n)


SMALL_SUMMARY = {"overall_status": "Warn",
                 "root_cause": "GPU 3: util=97% since 10:42; the data loader "
                               "starves the other ranks",
                 "suggestions": ["raise num_workers=8 in the data loader",
                                 "pin memory: pin_memory=True",
                                 "look at the issues"]}


def many_small(budget):
    dl = small_detail_len(budget, SMALL_ISSUES)
    issues = [small_issue(i, dl) for i in range(SMALL_ISSUES)]
    return document(SMALL_SUMMARY, issues), len(issues), {}, [], \
        "%d issues {item, subsystem, severity, title, detail, metrics}" % len(issues)


# --- 2. big-strings ---------------------------------------------------------
BIG_ISSUES = 5


def big_line(k):
    return ('line %d: "GPU %d"\tutil=%d%% since 10:%02d \\ path C:\\\\data\\\\%d '
            'said "retry";\tstep=%d' % (k, k % 8, 90 + k % 10, k % 60, k, k * 7))


def big_strings(budget):
    issues = []
    per = budget // BIG_ISSUES
    for i in range(BIG_ISSUES):
        lines, size, k = [], 0, 0
        while size < per:
            ln = big_line(k)
            lines.append(ln)
            size += len(dumps(ln)) - 2 + 2	# the line escaped and its \n
            k += 1
        issues.append(dumps({"severity": "Info",
                             "title": "log excerpt %d of %d" % (i + 1, BIG_ISSUES),
                             "detail": "\n".join(lines)}))
    summary = {"overall_status": "Info",
               "root_cause": "nothing wrong; the logs are attached "
                             "(\"as is\")\twith tabs",
               "suggestions": ["read the log excerpts"]}
    return document(summary, issues), len(issues), {}, [], \
        "%d issues, each detail a %.1f MB string (\\n \\t \\\" \\\\)" % (
            BIG_ISSUES, per / 1e6)


# --- 3. string-result -------------------------------------------------------
def string_result(budget):
    # As many issues of shape 1 as fit once the JSON text is a string.
    dl = small_detail_len(budget, SMALL_ISSUES)
    issues = until_full(lambda i: small_issue(i, dl),
                        lambda t: len(dumps(t)) - 2, budget - 400)
    summary = dict(SMALL_SUMMARY, overall_status="Critical")
    return dumps(document(summary, issues)), len(issues), {}, [], \
        "data.result a JSON string: %d issues of shape many-small" % len(issues)


# --- 4. deep ----------------------------------------------------------------
DEPTH = 100
NOTE = fill("frame of the call stack: ncclAllReduce <- ddp_step <- train_loop "
            "(rank=3, stream=7); ", 400)


def nest(level):
    if level == DEPTH:
        return "bottom"
    if level % 2 == 0:
        return {"note": NOTE, "level": level, "next": nest(level + 1)}
    return [level, NOTE, nest(level + 1)]


def deep(budget):
    tree = dumps(nest(0))

    def make(i):
        return ('{"severity": "%s", "title": "stack %d", "detail": "a call '
                'stack %d levels deep: see trace", "trace": %s}' %
                (SEVERITIES[i % len(SEVERITIES)], i, DEPTH, tree))
    issues = until_full(make, len, budget - 400)
    summary = {"overall_status": "Warn", "root_cause": "a deep call stack",
               "suggestions": ["read the traces"]}
    return document(summary, issues), len(issues), {}, [], \
        "%d issues, each holding objects and arrays %d levels deep" % (
            len(issues), DEPTH)


# --- 5. non-ascii -----------------------------------------------------------
CJK_DETAIL = ("GPU %d：利用率=%d%%，自 10:%02d 起持续偏高 🔥；显存碎片化导致分配失败，"
              "训练步长变慢 🐢，建议检查数据加载器 📈。")
NON_ASCII = re.compile(r"[^\x00-\x7f]")


def escape_some(text, every):
    """JSON text with every `every`-th non-ASCII character as \\uXXXX
    (a surrogate pair above U+FFFF), the others raw UTF-8."""
    count = [0]

    def one(m):
        count[0] += 1
        if count[0] % every:
            return m.group(0)
        return json.dumps(m.group(0))[1:-1]
    return NON_ASCII.sub(one, text)


def cjk_issue(i, pad=""):
    gpu = i % 8
    obj = {"item": "GPU卡 %d号 🚀" % gpu,
           "subsystem": ("显存", "网络", "存储", "调度")[i % 4],
           "severity": SEVERITIES[i % len(SEVERITIES)],
           "title": "问题 %d：GPU %d 饱和 💥" % (i, gpu),
           "detail": CJK_DETAIL % (gpu, 90 + i % 10, i % 60) + pad,
           "备注": "已确认 ✅ 第 %d 条" % i}
    mode = i % 3
    if mode == 0:
        return dumps(obj)		# raw UTF-8
    if mode == 1:
        return dumps(obj, True)		# every character \uXXXX
    return escape_some(dumps(obj), 2)	# mixed inside each string


def non_ascii(budget):
    # An issue is about 430 bytes: as many as fit.
    issues = until_full(lambda i: cjk_issue(i, "数据加载器等待🐛"),
                        lambda t: len(t.encode()), budget - 400)
    summary = {"overall_status": "Warn",
               "root_cause": "显存不足 🔥：数据加载器阻塞",
               "suggestions": ["增大 num_workers 📈", "检查显存碎片 🐛"]}
    text = document(summary, issues)
    return text, len(issues), {}, [], \
        "%d issues, Chinese and emoji in every string but severity " \
        "(raw, \\uXXXX, surrogate pairs)" % len(issues)


# --- 6. key-like ------------------------------------------------------------
# Values that must never come out: each holds the marker, so a grep for the
# marker also finds a partial leak.  The profile's own key pair (run.sh's
# config.json) is planted in prose too: known by value.
MARK = "Zk9LEAK"
PROFILE_ID, PROFILE_SECRET = "LTAI5tBenchOnlyNotAKey00", "bench-secret-not-real"
PW_NUMBER = 918273645000
PROSE = ("the token bucket", "max_tokens", "SignatureMethod")


def key_issue(i):
    sig = "%sSig%05dq+w/e=" % (MARK, i)
    obj = {
        "severity": SEVERITIES[i % len(SEVERITIES)],
        "title": "issue %d: requests throttled" % i,
        "detail": ("the token bucket ran dry at 10:%02d: max_tokens=4096 per "
                   "request, SignatureMethod=HMAC-SHA1, SignatureVersion=1.0; "
                   "the caller sent GET /?AccessKeyId=%s&Signature=%s&"
                   "SignatureNonce=%d and password: %sPw%05d" %
                   (i % 60, PROFILE_ID, sig, i, MARK, i)),
        "token": "%sTok%05d" % (MARK, i),
        "secret": "%sSec%05d-%s" % (MARK, i, PROFILE_SECRET),
        "Signature": sig,
        "password": PW_NUMBER + i if i % 2 else "%sPw%05d" % (MARK, i),
        "auth": {"SecurityToken": "STS.%sSts%05d" % (MARK, i),
                 "api_key": ["%sApi%05d" % (MARK, i), i],
                 "access-key-secret": {"value": "%sAks%05d" % (MARK, i)}},
        "request": {"max_tokens": 4096, "SignatureMethod": "HMAC-SHA1",
                    "note": "the token bucket refills 10 tokens/s"},
    }
    return dumps(obj)


def key_like(budget):
    issues = until_full(key_issue, len, budget - 400)
    summary = {"overall_status": "Critical",
               "root_cause": "the token bucket is too small for max_tokens",
               "suggestions": ["keep SignatureMethod=HMAC-SHA1",
                               "rotate the password: %sPwSummary" % MARK]}
    text = document(summary, issues)
    prose = {p: text.count(p) for p in PROSE}
    secrets = [MARK, str(PW_NUMBER)[:9], PROFILE_ID, PROFILE_SECRET]
    return text, len(issues), prose, secrets, \
        "%d issues with token, secret, Signature, password keys " \
        "and such words in prose" % len(issues)


SHAPES = {
    "many-small": many_small,
    "big-strings": big_strings,
    "string-result": string_result,
    "deep": deep,
    "non-ascii": non_ascii,
    "key-like": key_like,
}
EXIT = {"Info": 0, "Warn": 10, "Critical": 11}


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    with open(sys.argv[1], "rb") as f:
        envelope = f.read()
    hole = b'"@@RESULT@@"'
    if envelope.count(hole) != 1:
        sys.exit("shapes.py: %s does not hold %s once" % (sys.argv[1], hole))
    before, after = envelope.split(hole)
    budget = TARGET - len(envelope) + len(hole)
    for name in sys.argv[3:] or SHAPES:
        text, issues, prose, secrets, describe = SHAPES[name](budget)
        result = json.loads(text)
        if isinstance(result, str):
            result = json.loads(result)
        overall = result["summary"]["overall_status"]
        out = os.path.join(sys.argv[2], name)
        with open(out + ".reply.json", "wb") as f:
            f.write(before + text.encode() + after)
        with open(out + ".meta.json", "w") as f:
            json.dump({"issues": issues, "overall": overall,
                       "exit": EXIT[overall], "secrets": secrets,
                       "prose": prose, "describe": describe}, f)
            f.write("\n")


if __name__ == "__main__":
    main()
