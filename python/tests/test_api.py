"""The Python API against the CLI: same text for the same input, rules and statistics; batches,
pickling, statistics files, config and edit offsets."""

import json
import multiprocessing
import pathlib
import pickle
import threading
import time

import pytest

import unscrape

# Text with non-ASCII everywhere before and around the edits: accents, CJK, an emoji, a no-break
# space, mojibake, CR LF line ends, blank-line runs and a site footer.
NON_ASCII = (
    "Ünïcödé héadline — 日本語のニュース\r\n"
    "The cafÃ© crÃ¨me costs 3 € at the cafÃ© 😀 on the\u00a0corner.\r\n"
    "\r\n\r\n\r\n"
    "Zoë and Björn said the crème brûlée was excellent.\r\n"
    "Share this article\r\n"
    "Back to top\r\n"
)


def seeds(root):
    inputs = sorted((root / "samples" / "input").iterdir())
    assert len(inputs) >= 2
    return inputs


def test_clean_equals_the_cli_on_the_samples(root, cli):
    cleaner = unscrape.Cleaner()
    for path in seeds(root):
        text = path.read_text("utf-8")
        result = cleaner.clean(text, id=path.name)
        expected = (root / "samples" / "expected" / path.name).read_text("utf-8")
        assert result.text == expected, path.name
        assert result.text == cli(["clean", "-", "--quiet"], stdin=text), path.name
        assert result.id == path.name
        assert result.changed == (expected != text)


def test_clean_equals_the_cli_on_the_jsonl_samples(root):
    cleaner = unscrape.Cleaner()
    inputs = (root / "samples" / "jsonl" / "input.jsonl").read_text("utf-8").splitlines()
    outputs = (root / "samples" / "jsonl" / "expected.jsonl").read_text("utf-8").splitlines()
    compared = 0
    for line_in, line_out in zip(inputs, outputs):
        record_in, record_out = json.loads(line_in), json.loads(line_out)
        if not isinstance(record_in.get("text"), str):
            continue
        assert cleaner.clean(record_in["text"]).text == record_out["text"]
        compared += 1
    assert compared >= 2


def test_clean_equals_the_cli_with_options(root, cli):
    text = NON_ASCII
    for config, flags in [
        ({"skip": ["glue", "boilerplate"]}, ["--skip", "glue,boilerplate"]),
        ('only = "normalize"', ["--only", "normalize"]),
        ({"only": "encoding,normalize"}, ["--only", "encoding,normalize"]),
    ]:
        got = unscrape.Cleaner(config).clean(text).text
        assert got == cli(["clean", "-", "--quiet", *flags], stdin=text), config
    # The options change the output (a test that cannot fail is no test).
    assert unscrape.Cleaner({"only": ["normalize"]}).clean(text).text != unscrape.Cleaner().clean(
        text
    ).text


def house_rules(tmp_path):
    """A rules folder with one boilerplate rule of the house's own."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "house.toml").write_text(
        'stage = "boilerplate"\n\n[[rule]]\nid = "house.sponsor.v1"\n'
        'reason = "Sponsor line"\nexact = ["Brought to you by Acme"]\n',
        "utf-8",
    )
    return rules


def test_rules_folders_apply_as_on_the_cli(tmp_path, cli):
    rules = house_rules(tmp_path)
    text = "A short story about the harbour and its boats.\nBrought to you by Acme\n"
    cleaner = unscrape.Cleaner({"rules": str(rules)})
    got = cleaner.clean(text)
    assert got.text == cli(["clean", "-", "--quiet", "--rules", str(rules)], stdin=text)
    assert "Acme" not in got.text
    assert any(e["rule"] == "house.sponsor.v1" for e in got.edits)
    with pytest.raises(ValueError, match="invalid rules"):
        unscrape.Cleaner({"rules": str(tmp_path / "missing")})


def batch_texts(root):
    texts = [p.read_text("utf-8") for p in seeds(root)]
    texts += [NON_ASCII, "", "\n", "plain line without newline"]
    texts += [f"Story {i}: the council met on day {i}.\r\n\r\n\r\nBack to top\n" for i in range(40)]
    return texts


@pytest.mark.parametrize("threads", [1, 2, 0])
def test_clean_batch_equals_clean(root, threads):
    cleaner = unscrape.Cleaner({"threads": threads})
    texts = batch_texts(root)
    ids = [f"doc-{i}" for i in range(len(texts))]
    batch = cleaner.clean_batch(texts, ids)
    assert [r.id for r in batch] == ids
    for text, result in zip(texts, batch):
        one = cleaner.clean(text)
        assert result.text == one.text
        assert result.edits == one.edits
        assert result.suspects == one.suspects
        assert result.changed == one.changed
    assert cleaner.clean_batch([]) == []
    with pytest.raises(ValueError, match="one entry per text"):
        cleaner.clean_batch(["a", "b"], ids=["only one"])


def test_the_gil_is_released_while_a_batch_runs(root):
    cleaner = unscrape.Cleaner({"threads": 1})
    texts = batch_texts(root) * 60
    window = {}
    done = threading.Event()

    def work():
        window["start"] = time.perf_counter()
        cleaner.clean_batch(texts)
        window["end"] = time.perf_counter()
        done.set()

    worker = threading.Thread(target=work)
    stamps = []
    worker.start()
    while not done.is_set():
        stamps.append(time.perf_counter())
    worker.join()
    # With the GIL held for the whole batch this thread could not run a single line while the
    # batch ran: no stamp could fall in the middle third of its time.
    start, end = window["start"], window["end"]
    third = (end - start) / 3
    assert third > 0.01, "the batch is long enough to tell"
    inside = [t for t in stamps if start + third < t < end - third]
    assert len(inside) > 100, (len(inside), end - start)


def test_bad_input_is_a_python_error_not_a_crash():
    cleaner = unscrape.Cleaner()
    with pytest.raises(TypeError):
        cleaner.clean(b"bytes are not text")
    with pytest.raises(TypeError):
        cleaner.clean(None)
    with pytest.raises(UnicodeEncodeError):
        cleaner.clean("a lone surrogate \ud800 here")
    with pytest.raises(TypeError):
        cleaner.clean_batch(["fine", 3])
    with pytest.raises(TypeError):
        cleaner.clean_batch("not a list of texts")
    # The cleaner still works after the errors.
    assert cleaner.clean("ok\r\n").text == "ok\n"


def pickled_round_trip(cleaner):
    return pickle.loads(pickle.dumps(cleaner))


def clean_in_child(args):
    payload, text = args
    return pickle.loads(payload).clean(text).text


def test_pickling_round_trip(root, tmp_path):
    rules = house_rules(tmp_path)
    cleaner = unscrape.Cleaner({"skip": "glue", "rules": [str(rules)], "threads": 2, "group": "g"})
    copy = pickled_round_trip(cleaner)
    assert copy.config == cleaner.config
    assert copy.config == {
        "only": [],
        "skip": ["glue"],
        "rules": [str(rules)],
        "threads": 2,
        "group": "g",
    }
    text = NON_ASCII + "Brought to you by Acme\n"
    assert copy.clean(text).text == cleaner.clean(text).text
    assert "Acme" not in copy.clean(text).text
    # In a fresh interpreter (spawn), as engines ship it to workers.
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        got = pool.map(clean_in_child, [(pickle.dumps(cleaner), text)])
    assert got == [cleaner.clean(text).text]


def test_a_cleaner_made_before_a_fork_works_in_the_child(root):
    cleaner = unscrape.Cleaner({"threads": 2})
    texts = batch_texts(root)
    expected = [r.text for r in cleaner.clean_batch(texts)]  # the parent's pool exists now
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(1) as pool:
        got = pool.apply(cleaner_batch_texts, (cleaner, texts))
    assert got == expected


def cleaner_batch_texts(cleaner, texts):
    return [r.text for r in cleaner.clean_batch(texts)]


def test_config_as_toml_or_dict_and_its_errors(tmp_path):
    toml_cleaner = unscrape.Cleaner('skip = ["glue"]\nthreads = 1\ngroup = "news"\n')
    dict_cleaner = unscrape.Cleaner({"skip": ["glue"], "threads": 1, "group": "news"})
    assert toml_cleaner.config == dict_cleaner.config
    rules = house_rules(tmp_path)
    assert unscrape.Cleaner({"rules": rules}).config["rules"] == [str(rules)]
    for bad, message in [
        ({"skp": ["glue"]}, "unknown field"),
        ({"only": ["magic"]}, "unknown stage 'magic'"),
        ('only = "magic"', "unknown stage 'magic'"),
        ({"threads": -1}, "threads must be 0 or more"),
        ("only = [", "config"),
    ]:
        with pytest.raises(ValueError, match=message):
            unscrape.Cleaner(bad)
    with pytest.raises(TypeError):
        unscrape.Cleaner(42)


def replay_and_check(text, result):
    """Checks every edit's offsets against the text its step saw, rebuilding that text by
    applying each step's applied edits in turn; returns the rebuilt final text."""
    records = sorted(result.edits + result.suspects, key=lambda e: e["step"])
    current = text
    steps = sorted({e["step"] for e in records})
    for step in steps:
        edits = [e for e in records if e["step"] == step]
        data = current.encode("utf-8")
        for e in edits:
            assert data[e["start"] : e["end"]].decode("utf-8") == e["before"], e
            assert current[e["char_start"] : e["char_end"]] == e["before"], e
            assert len(current[: e["char_start"]].encode("utf-8")) == e["start"], e
        applied = sorted((e for e in edits if e["applied"]), key=lambda e: e["start"])
        for e in reversed(applied):
            current = current[: e["char_start"]] + e["after"] + current[e["char_end"] :]
    return current


def test_offsets_are_right_on_non_ascii_text():
    cleaner = unscrape.Cleaner()
    result = cleaner.clean(NON_ASCII)
    assert result.changed
    assert "café crème" in result.text
    assert "\r" not in result.text
    assert len(result.edits) >= 4
    # Byte and code-point offsets differ after the first non-ASCII character.
    assert any(e["start"] != e["char_start"] for e in result.edits)
    assert replay_and_check(NON_ASCII, result) == result.text
    for e in result.edits:
        assert e["applied"] is True
        assert set(e) >= {
            "stage",
            "rule",
            "reason",
            "confidence",
            "applied",
            "before",
            "after",
            "start",
            "end",
            "char_start",
            "char_end",
        }
        assert 0 < e["confidence"] <= 1
    for e in result.suspects:
        assert e["applied"] is False


def test_offsets_replay_over_many_documents(root):
    cleaner = unscrape.Cleaner()
    texts = batch_texts(root)
    for text, result in zip(texts, cleaner.clean_batch(texts)):
        assert replay_and_check(text, result) == result.text


# A site of a few pages whose chrome no default rule knows: only statistics learned over the
# corpus remove it.
def site_page(site, i):
    syllables = ["ba", "de", "fi", "go", "hu", "ja", "ke", "lo"]
    w = syllables[i % 8] + syllables[(i // 8) % 8]
    return (
        f"{site} Gazette | Local | Weather | Letters\n\n"
        f"The {w} bridge reopens after repairs\n\n"
        f"Engineers finished work on the {w} bridge on Tuesday, and traffic returned to the "
        f"old road by the evening, the council said.\n\n"
        f"Residents of {w} had waited two years for the crossing to reopen.\n\n"
        f"Read more from the {site} Gazette archive\n"
        f"{site} Gazette, printed by the {site} Press Cooperative\n"
    )


@pytest.fixture(scope="module")
def learned(tmp_path_factory, cli):
    base = tmp_path_factory.mktemp("learned")
    corpus = base / "corpus"
    pages = {}
    for site in ["Northfield", "Easton"]:
        folder = corpus / site.lower()
        folder.mkdir(parents=True)
        for i in range(9):
            text = site_page(site, i)
            (folder / f"{i}.txt").write_text(text, "utf-8")
            pages[f"{site.lower()}/{i}.txt"] = text
    stats = base / "corpus.stats"
    cli(["learn", "--quiet", "--stats-out", str(stats), str(corpus)])
    out = base / "out"
    cli(["clean", "--quiet", "--no-html", "--out", str(out), str(corpus)])
    expected = {name: (out / name).read_text("utf-8") for name in pages}
    return stats, pages, expected


def test_statistics_from_learn_give_the_corpus_run_output(learned, cli):
    stats, pages, expected = learned
    cleaner = unscrape.Cleaner(stats=stats)
    assert cleaner.stats == str(stats)
    names = sorted(pages)
    groups = [name.split("/")[0] for name in names]
    batch = cleaner.clean_batch([pages[n] for n in names], names, groups=groups)
    for name, group, result in zip(names, groups, batch):
        assert result.text == expected[name], name
        assert "Gazette |" not in result.text
        assert cleaner.clean(pages[name], group=group).text == expected[name]
        assert unscrape.Cleaner({"group": group}, stats=str(stats)).clean(pages[name]).text == (
            expected[name]
        )
        # The same as the CLI on standard input with the same statistics and group.
        stdin = cli(
            ["clean", "-", "--quiet", "--stats-from", str(stats), "--group", group],
            stdin=pages[name],
        )
        assert stdin == expected[name]
        # Without statistics (or without a group) nothing is learned.
        assert unscrape.Cleaner().clean(pages[name]).text != expected[name]
        assert cleaner.clean(pages[name]).text != expected[name]
    # Pickled with its statistics path.
    copy = pickle.loads(pickle.dumps(cleaner))
    assert copy.stats == str(stats)
    assert copy.clean(pages[names[0]], group=groups[0]).text == expected[names[0]]


def test_bad_statistics_files_are_value_errors(tmp_path):
    bogus = tmp_path / "bogus.stats"
    bogus.write_text("hello\n", "utf-8")
    with pytest.raises(ValueError, match="not an unscrape statistics file"):
        unscrape.Cleaner(stats=bogus)
    with pytest.raises(ValueError, match="cannot read statistics"):
        unscrape.Cleaner(stats=tmp_path / "missing.stats")


def test_a_relative_statistics_path_is_kept_absolute(learned, monkeypatch):
    stats, pages, expected = learned
    monkeypatch.chdir(stats.parent)
    cleaner = unscrape.Cleaner(stats=stats.name)
    assert pathlib.Path(cleaner.stats).is_absolute()
    name = sorted(pages)[0]
    assert cleaner.clean(pages[name], group=name.split("/")[0]).text == expected[name]


def test_results_are_plain_values():
    result = unscrape.Cleaner().clean("Hello\r\nworld\r\n", id="x")
    assert isinstance(result, unscrape.Result)
    assert result.text == "Hello\nworld\n"
    assert result.edits is not None and result.edits == result.edits
    assert "Result(id=" in repr(result)


def test_host_of_groups_as_the_cli_does():
    assert unscrape.host_of("https://www.Example.com:8080/a?b") == "example.com"
    assert unscrape.host_of("http://user@news.example.org/x") == "news.example.org"
    assert unscrape.host_of("not a url") is None
