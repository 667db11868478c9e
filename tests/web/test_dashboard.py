"""The dashboard as its owner uses it: sign in, read the cards, follow conversations."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from analytics_seed import LAW, SINCE, record, week
from dashboard_session import csrf, sign_in

from ivr.app.wiring import build_runtime
from ivr.web import create_app


def seed(runtime, records):
    for rec in records:
        runtime.store.save(rec)


def test_the_home_page_leads_to_the_dashboard_and_asks_a_stranger_to_sign_in(client):
    home = client.get("/")
    assert home.status_code == 302 and home.headers["Location"].endswith("/dashboard/")

    dashboard = client.get("/dashboard/")
    assert dashboard.status_code == 302
    assert "/login?next=/dashboard/" in dashboard.headers["Location"]


def test_a_wrong_token_is_refused_and_the_right_one_lets_the_owner_in(client):
    wrong = sign_in(client, token="guess")
    assert wrong.status_code == 401
    assert "not right" in wrong.get_data(as_text=True)

    right = sign_in(client, next_="/dashboard/conversations/")
    assert right.status_code == 302
    assert right.headers["Location"] == "/dashboard/conversations/"
    assert client.get("/dashboard/").status_code == 200


def test_sign_in_never_redirects_to_another_site(client):
    response = sign_in(client, next_="//evil.example/phish")

    assert response.headers["Location"] == "/dashboard/"


def test_a_form_posted_without_its_csrf_token_is_rejected(client):
    response = client.post("/login", data={"token": "test-api-token"})

    assert response.status_code == 400
    assert client.get("/dashboard/").status_code == 302  # still signed out


def test_guessing_the_token_is_stopped_after_ten_tries(client):
    for _ in range(10):
        assert sign_in(client, token="guess").status_code == 401

    assert sign_in(client).status_code == 429


def test_signed_in_the_owner_sees_the_metric_cards_with_change(client, runtime):
    seed(runtime, week())
    sign_in(client)

    page = client.get("/dashboard/?days=30").get_data(as_text=True)

    assert "Resolution rate" in page and "50%" in page
    assert "Escalation accuracy" in page and "1 of 2 judged needed" in page
    assert "Time to a human (median)" in page and "30 s" in page and "p90 38 s" in page
    assert "Repeat contact (48 h)" in page
    assert "<svg" in page and "Time to a human, seconds" in page
    assert "Dana Ortiz" in page  # on call now


def test_the_period_selector_offers_7_30_and_90_days(client, runtime):
    sign_in(client)

    page = client.get("/dashboard/?days=7").get_data(as_text=True)

    assert "Last 7 days" in page
    for days in (7, 30, 90):
        assert f"days={days}" in page
    assert "Last 30 days" in client.get("/dashboard/?days=365").get_data(as_text=True)


def test_an_empty_dashboard_shows_dashes_not_zeroes(client):
    sign_in(client)

    page = client.get("/dashboard/").get_data(as_text=True)

    assert "—" in page
    assert "Nothing went unanswered" in page
    assert "No data for this period" in page


def test_the_api_accepts_the_dashboard_session(client):
    sign_in(client)

    assert client.get("/api/metrics").status_code == 200


def test_signing_out_ends_the_session(client):
    sign_in(client)
    token = csrf(client, "/dashboard/")

    client.post("/logout", data={"csrf_token": token})

    assert client.get("/dashboard/").status_code == 302


def test_marking_an_unanswered_question_handled(client, runtime, clock):
    seed(runtime, [record(clock() - timedelta(days=2), "+15125550180",
                          unanswered=("Do you install heat pumps?",))])
    sign_in(client)
    token = csrf(client, "/dashboard/")

    response = client.post("/dashboard/unanswered/handled", data={
        "csrf_token": token, "question": "do you install heat pumps",
        "business": "polar-bear-hvac", "back": "/dashboard/?days=7"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/?days=7#unanswered"
    page = client.get("/dashboard/?days=7").get_data(as_text=True)
    assert "Handled" in page and "0 open" in page


def test_marking_handled_without_the_csrf_token_changes_nothing(client, runtime, clock):
    seed(runtime, [record(clock() - timedelta(days=2), "+15125550181",
                          unanswered=("Do you install heat pumps?",))])
    sign_in(client)

    response = client.post("/dashboard/unanswered/handled", data={
        "question": "do you install heat pumps", "business": "polar-bear-hvac"})

    assert response.status_code == 400
    assert "1 open" in client.get("/dashboard/").get_data(as_text=True)


def test_conversations_can_be_filtered_by_bucket_channel_and_number(client, runtime):
    seed(runtime, week())
    sign_in(client)

    by_bucket = client.get("/dashboard/conversations/?bucket=complaint").get_data(as_text=True)
    assert by_bucket.count('data-bucket="complaint"') == 1
    assert 'data-bucket="hours"' not in by_bucket

    texts = client.get("/dashboard/conversations/?channel=sms").get_data(as_text=True)
    assert "1 conversation." in texts

    number = client.get("/dashboard/conversations/?number=555-0102").get_data(as_text=True)
    assert "2 conversations." in number


def test_filtering_by_a_day_and_outcome(client, runtime):
    seed(runtime, week())
    sign_in(client)

    page = client.get("/dashboard/conversations/?date=2026-11-02&outcome=transferred")

    assert "1 conversation." in page.get_data(as_text=True)
    bad = client.get("/dashboard/conversations/?date=yesterday-ish")
    assert bad.status_code == 400 and "ISO 8601" in bad.get_data(as_text=True)


def test_a_conversation_page_shows_transcript_confidence_transfer_and_verdict(client, runtime):
    rec = record(SINCE, "+15125550190", bucket="emergency_repair", route="human",
                 outcome="transferred", accepted=True, seconds=21.4, needed=True,
                 escalation={"reasons": ["gas_smell"], "confidence": 0.42},
                 slots={"address": "12 Elm St"})
    seed(runtime, [rec])
    sign_in(client)

    page = client.get(f"/dashboard/conversations/{rec['id']}").get_data(as_text=True)

    assert "question about emergency_repair" in page
    assert "confidence 87%" in page
    assert "gas smell" in page and "42%" in page
    assert "12 Elm St" in page
    assert "Alex Kim" in page and "21 s" in page and "Staff answered" in page
    assert "Rang in order: Alex Kim" in page
    assert "needed a person" in page


def test_an_unknown_conversation_is_a_404(client):
    sign_in(client)

    assert client.get("/dashboard/conversations/CVnope").status_code == 404


def test_a_recorded_voicemail_plays_from_the_app(client, runtime, settings):
    settings.audio_dir.mkdir(parents=True, exist_ok=True)
    wav = settings.audio_dir / "vm.wav"
    wav.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt ")
    rec = record(SINCE, "+15125550191", outcome="escalated", accepted=False,
                 voicemail={"path": str(wav)})
    seed(runtime, [rec])
    sign_in(client)

    page = client.get(f"/dashboard/conversations/{rec['id']}").get_data(as_text=True)
    assert f"/dashboard/conversations/{rec['id']}/voicemail" in page and "<audio" in page
    with client.get(f"/dashboard/conversations/{rec['id']}/voicemail") as audio:
        assert audio.status_code == 200 and audio.data.startswith(b"RIFF")


def test_a_record_cannot_make_the_app_serve_files_outside_its_audio(client, runtime, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not audio")
    rec = record(SINCE, "+15125550192", voicemail={"path": str(secret),
                                                   "url": "http://169.254.169.254/x"})
    seed(runtime, [rec])
    sign_in(client)

    assert client.get(f"/dashboard/conversations/{rec['id']}/voicemail").status_code == 404


def test_dashboard_pages_forbid_framing_third_party_code_and_caching(client):
    sign_in(client)

    response = client.get("/dashboard/")

    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def test_a_late_evening_call_is_listed_on_the_owners_day_not_the_utc_day(client, runtime):
    evening = record(datetime(2026, 11, 3, 3, 0, tzinfo=UTC), "+15125550193")  # 21:00 in Austin
    seed(runtime, [evening])
    sign_in(client)

    monday = client.get("/dashboard/conversations/?date=2026-11-02&business=polar-bear-hvac")
    tuesday = client.get("/dashboard/conversations/?date=2026-11-03&business=polar-bear-hvac")

    assert "1 conversation." in monday.get_data(as_text=True)
    assert "0 conversations." in tuesday.get_data(as_text=True)


def test_the_local_demo_without_a_token_opens_straight_away(runtime, redis_conn, clock):
    demo = build_runtime(runtime.settings.with_(demo=True, api_token=""),
                         connection=redis_conn, clock=clock)
    client = create_app(runtime=demo).test_client()

    page = client.get("/dashboard/")

    assert page.status_code == 200 and "Sign out" in page.get_data(as_text=True)


def test_conversation_list_times_carry_the_business_zone(client, runtime):
    seed(runtime, [record(SINCE, "+15125550190", bucket="hours", route="bot_only",
                          outcome="resolved")])
    sign_in(client)

    page = client.get("/dashboard/conversations/").get_data(as_text=True)

    # 1 Nov 2026 00:00 UTC is 31 Oct 19:00 in Austin (daylight time until 1 Nov 02:00)
    assert "31 Oct 2026 19:00 CDT" in page


def test_a_conversation_page_says_the_zone_of_every_time(client, runtime):
    rec = record(SINCE + timedelta(days=10), "+15125550190", bucket="hours", route="bot_only",
                 outcome="resolved")
    seed(runtime, [rec])
    sign_in(client)

    page = client.get(f"/dashboard/conversations/{rec['id']}").get_data(as_text=True)

    assert "<dd>10 Nov 2026 18:00 CST</dd>" in page  # started
    assert "<dd>10 Nov 2026 18:03 CST</dd>" in page  # ended


def test_overview_times_say_they_are_utc(client, runtime):
    asked = runtime.clock() - timedelta(days=1)
    seed(runtime, [record(asked, "+15125550211", unanswered=("Do you service boilers?",))])
    sign_in(client)

    page = client.get("/dashboard/?days=7").get_data(as_text=True)

    period = re.search(r'class="muted period">([^<]*)<', page).group(1)
    assert re.fullmatch(r"\d\d \w{3} \d{4} \d\d:\d\d UTC – \d\d \w{3} \d{4} \d\d:\d\d UTC, "
                        r"compared with the 7 days before\.", period), period
    assert asked.astimezone(UTC).strftime("%d %b %Y %H:%M UTC") in page  # last asked


def test_the_owner_sees_a_qualified_lead_staff_took_as_transferred_and_qualified(client,
                                                                                  runtime):
    day = SINCE + timedelta(days=1)
    taken = record(day, "+15125550501", business=LAW, bucket="intake", route="human",
                   outcome="transferred", accepted=True, seconds=15,
                   qualification={"result": "qualified",
                                  "reasons": ["jurisdiction", "representation", "budget"]})
    declined = record(day, "+15125550502", business=LAW, bucket="intake", route="human",
                      outcome="not_qualified",
                      qualification={"result": "not_qualified", "reasons": ["budget"]})
    seed(runtime, [taken, declined])
    sign_in(client)

    page = client.get(f"/dashboard/conversations/{taken['id']}").get_data(as_text=True)
    assert ">transferred<" in page and 'data-qualification="qualified"' in page
    assert "passed: jurisdiction, representation, budget" in page

    listing = client.get("/dashboard/conversations/").get_data(as_text=True)
    assert 'data-qualification="qualified"' in listing

    overview = client.get("/dashboard/?days=30").get_data(as_text=True)
    qualified = overview[overview.index('id="qualified"'):overview.index('id="unanswered"')]
    assert "Hartley Family Law" in qualified and "50%" in qualified


def test_the_owner_sees_how_spanish_speakers_are_served_beside_english_ones(client, runtime):
    at = SINCE + timedelta(days=1)
    seed(runtime, [record(at, "+15125550401", accepted=True, seconds=20, language="es"),
                   record(at, "+15125550402", language="es"),
                   record(at, "+15125550403", accepted=True, seconds=20, language="en")])
    sign_in(client)

    page = client.get("/dashboard/?days=90").get_data(as_text=True)

    spanish = re.search(r'<tr data-language="es">(.*?)</tr>', page, re.S)
    assert spanish is not None and "Spanish" in spanish.group(1)
    assert re.findall(r'class="num">([^<]*)<', spanish.group(1)) == ["2", "1", "50%"]
    assert 'data-language="en"' in page and "English" in page
