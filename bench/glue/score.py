#!/usr/bin/env python3
"""Scores one tool's output on a split built by make_eval.py.

    python3 bench/glue/score.py SPLIT_DIR OUTPUT_DIR [--report REPORT_DIR] [--json FILE]

Every change a tool made is found by a token diff of its output against the input. Changes
and injected errors that overlap form a group; a group is right when the output text of the
group equals the truth text of the group (white space runs compared as one space, so a
block-boundary repair 'ReutersThe' -> 'Reuters The' counts although the truth had a blank
line there). Then:

  repaired            injected errors in right groups / injected errors
  change precision    changes in right groups / all changes (injected and control documents)
  false edits / 10k   changes outside right groups per 10,000 words (whitespace-separated),
                      on control documents, and on all documents outside the injected errors

With --report (an unscrape report), the applied `glue.*` edits of edits.jsonl are scored the
same way (an edit is right when its text lies in a right group) and suspects.jsonl is split
into suspects at injected errors and elsewhere.
"""

import argparse
import difflib
import json
import os
import re
import sys
from collections import Counter, defaultdict

TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def norm(text):
    return re.sub(r"\s+", " ", text)


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def changes(before, after):
    """Changed regions of `before` as (start, end, replacement), from a token diff."""
    if before == after:
        return []
    a, b = TOKEN.findall(before), TOKEN.findall(after)
    a_at, b_at = [0], [0]
    for t in a:
        a_at.append(a_at[-1] + len(t))
    for t in b:
        b_at.append(b_at[-1] + len(t))
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return [
        (a_at[i1], a_at[i2], after[b_at[j1]:b_at[j2]])
        for tag, i1, i2, j1, j2 in ops
        if tag != "equal"
    ]


def apply(text, base, edits):
    out, at = [], base
    for s, e, repl in sorted(edits, key=lambda x: (x[0], x[1])):
        out.append(text[at:s])
        out.append(repl)
        at = e
    return out, at


def groups(text, errors, chgs):
    """Overlapping errors and changes, grouped; each group is judged right or wrong."""
    items = [(s, e, "E", r, i) for i, (s, e, r) in enumerate(errors)]
    items += [(s, e, "C", r, i) for i, (s, e, r) in enumerate(chgs)]
    items.sort(key=lambda x: (x[0], x[1]))
    result, current = [], None
    for item in items:
        s, e = item[0], item[1]
        if current and (s < current["end"] or (s == current["end"] and (s == e or current["empty_end"]))):
            current["items"].append(item)
            current["end"] = max(current["end"], e)
            current["empty_end"] = s == e
        else:
            current = {"start": s, "end": e, "items": [item], "empty_end": s == e}
            result.append(current)
    for g in result:
        gs, ge = g["start"], g["end"]
        errs = [(s, e, r) for s, e, k, r, _ in g["items"] if k == "E"]
        chs = [(s, e, r) for s, e, k, r, _ in g["items"] if k == "C"]

        def render(edits):
            parts, at = [], gs
            for s, e, r in sorted(edits, key=lambda x: (x[0], x[1])):
                parts.append(text[at:s])
                parts.append(r)
                at = e
            parts.append(text[at:ge])
            return "".join(parts)

        g["truth"] = render(errs)
        g["output"] = render(chs)
        g["right"] = bool(errs) and bool(chs) and norm(g["truth"]) == norm(g["output"])
        g["errors"] = [i for _, _, k, _, i in g["items"] if k == "E"]
        g["changes"] = [i for _, _, k, _, i in g["items"] if k == "C"]
    return result


def line_starts(text):
    starts = [0]
    for m in re.finditer("\n", text):
        starts.append(m.end())
    return starts


def score(split, output, report=None, examples=0):
    errors_by_doc = defaultdict(list)
    with open(os.path.join(split, "errors.jsonl"), encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            errors_by_doc[e["doc"]].append(e)
    docs = []
    for role in ("inj", "ctl"):
        folder = os.path.join(split, "input", role)
        docs += [f"{role}/{n}" for n in sorted(os.listdir(folder))]
    report_edits = defaultdict(list)
    if report:
        for name, status in (("edits.jsonl", "applied"), ("suspects.jsonl", "suspect")):
            with open(os.path.join(report, name), encoding="utf-8") as f:
                for line in f:
                    r = json.loads(line)
                    if r["stage"] == "glue" and r["status"] == status:
                        report_edits[r["doc"]].append(r)

    c = Counter()
    by_kind = defaultdict(Counter)
    wrong_examples, missed_examples = [], []
    for doc in docs:
        text = read(os.path.join(split, "input", doc))
        out_path = os.path.join(output, doc)
        out = read(out_path) if os.path.exists(out_path) else text
        starts = line_starts(text)
        errs = []
        for e in errors_by_doc.get(doc, []):
            s = starts[e["line"] - 1] + e["col"]
            assert text[s:s + len(e["corrupted"])] == e["corrupted"], (doc, e)
            errs.append((s, s + len(e["corrupted"]), e["original"]))
        chgs = changes(text, out)
        words = len(text.split())
        role = doc.split("/")[0]
        c[f"{role}_docs"] += 1
        c[f"{role}_words"] += words
        c["errors"] += len(errs)
        c["changes"] += len(chgs)
        right_spans = []
        for g in groups(text, errs, chgs):
            if g["right"]:
                c["repaired"] += len(g["errors"])
                c["changes_right"] += len(g["changes"])
                right_spans.append((g["start"], g["end"]))
            else:
                wrong = len(g["changes"])
                c[f"changes_wrong_{role}"] += wrong
                if wrong and not g["errors"]:
                    c[f"false_edits_{role}"] += wrong
                if wrong and len(wrong_examples) < examples:
                    wrong_examples.append((doc, g["truth"], g["output"]))
                if g["errors"] and len(missed_examples) < examples and not wrong:
                    missed_examples.append((doc, g["truth"], g["output"]))
            for i in g["errors"]:
                e = errors_by_doc[doc][i]
                by_kind[e["kind"]]["errors"] += 1
                by_kind[f"{e['kind']}.{e['sub']}"]["errors"] += 1
                if g["right"]:
                    by_kind[e["kind"]]["repaired"] += 1
                    by_kind[f"{e['kind']}.{e['sub']}"]["repaired"] += 1
        # words outside injected errors, for the all-documents false-edit rate
        c["words_outside_errors"] += words - sum(len(e[2].split()) for e in errs)
        if report:
            err_spans = [(s, e) for s, e, _ in errs]
            for r in report_edits.get(doc, []):
                line_start = starts[r["line"] - 1]
                line_end = text.find("\n", line_start)
                line_text = text[line_start:line_end if line_end >= 0 else len(text)]
                spans = [
                    (line_start + m.start(), line_start + m.start() + len(r["before"]))
                    for m in re.finditer(re.escape(r["before"]), line_text)
                ]
                if r["status"] == "applied":
                    c["report_applied"] += 1
                    ok = any(gs <= s and e <= ge for s, e in spans for gs, ge in right_spans)
                    c["report_applied_right" if ok else "report_applied_wrong"] += 1
                else:
                    c["report_suspects"] += 1
                    hit = any(s < ee and es < e for s, e in spans for es, ee in err_spans)
                    c["report_suspects_at_errors" if hit else "report_suspects_elsewhere"] += 1
                    if hit:
                        c[f"report_suspects_at_errors_{role}"] += 1
    result = {
        "errors": c["errors"],
        "repaired": c["repaired"],
        "repaired_pct": 100 * c["repaired"] / max(1, c["errors"]),
        "changes": c["changes"],
        "changes_right": c["changes_right"],
        "change_precision_pct": 100 * c["changes_right"] / c["changes"] if c["changes"] else None,
        "control_docs": c["ctl_docs"],
        "control_words": c["ctl_words"],
        "false_edits_control": c["changes_wrong_ctl"],
        "false_per_10k_control": 1e4 * c["changes_wrong_ctl"] / max(1, c["ctl_words"]),
        "false_edits_all": c["changes_wrong_ctl"] + c["changes_wrong_inj"],
        "false_per_10k_all": 1e4 * (c["changes_wrong_ctl"] + c["changes_wrong_inj"])
        / max(1, c["words_outside_errors"]),
        "words_all": c["ctl_words"] + c["inj_words"],
        "by_kind": {
            k: {"errors": v["errors"], "repaired": v["repaired"], "repaired_pct": 100 * v["repaired"] / v["errors"]}
            for k, v in sorted(by_kind.items())
        },
    }
    if report:
        result.update({
            "report_applied": c["report_applied"],
            "report_applied_right": c["report_applied_right"],
            "report_precision_pct": 100 * c["report_applied_right"] / c["report_applied"]
            if c["report_applied"] else None,
            "report_suspects": c["report_suspects"],
            "report_suspects_at_errors": c["report_suspects_at_errors"],
            "report_suspects_elsewhere": c["report_suspects_elsewhere"],
        })
    return result, wrong_examples, missed_examples


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("split")
    ap.add_argument("output")
    ap.add_argument("--report")
    ap.add_argument("--json")
    ap.add_argument("--examples", type=int, default=0,
                    help="print up to N wrong changes and N missed errors")
    args = ap.parse_args()
    result, wrong, missed = score(args.split, args.output, args.report, args.examples)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
    json.dump({k: v for k, v in result.items() if k != "by_kind"}, sys.stdout, indent=1)
    print()
    for k, v in result["by_kind"].items():
        print(f"  {k:32} {v['repaired']:5}/{v['errors']:<5} {v['repaired_pct']:5.1f}%")
    for doc, truth, out in wrong:
        print(f"WRONG {doc}: {truth!r} -> {out!r}")
    for doc, truth, out in missed:
        print(f"MISSED {doc}: {truth!r} (left {out!r})")


if __name__ == "__main__":
    main()
