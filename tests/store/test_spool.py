"""Texts spooled while Redis is down are replayed once and only once, in order."""

from ivr.store.spool import Spool


def test_spooled_items_replay_in_order_and_the_spool_empties(tmp_path):
    spool = Spool(tmp_path / "sms.jsonl")
    for i in range(3):
        spool.append({"MessageSid": f"SM{i}", "Body": f"message {i}"})
    assert spool.pending() == 3
    seen: list[str] = []
    assert spool.replay(lambda item: seen.append(item["MessageSid"])) == 3
    assert seen == ["SM0", "SM1", "SM2"]
    assert spool.pending() == 0
    assert spool.replay(lambda item: seen.append("again")) == 0


def test_an_item_that_fails_to_replay_stays_with_everything_after_it(tmp_path):
    spool = Spool(tmp_path / "sms.jsonl")
    for i in range(3):
        spool.append({"n": i})

    def flaky(item):
        if item["n"] == 1:
            raise ConnectionError("redis still down")

    assert spool.replay(flaky) == 1
    assert spool.pending() == 2
    assert spool.replay(lambda item: None) == 2


def test_a_torn_last_line_from_a_crash_is_skipped(tmp_path):
    spool = Spool(tmp_path / "sms.jsonl")
    spool.append({"n": 1})
    with open(spool.path, "a") as handle:
        handle.write('{"n": 2, "Bo')
    got: list[int] = []
    assert spool.replay(lambda item: got.append(item["n"])) == 1
    assert got == [1]
