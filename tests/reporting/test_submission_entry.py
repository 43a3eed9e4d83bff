"""A unit types its report: drafts, validation beside the field, submit, concurrency, other units' reports."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from reporting import services
from reporting.models import Submission, SubmissionEvent, SubmissionState, SubmissionValue
from reporting.services import ValueInput
from tests.reporting.submission_factories import approved_report, full_values, open_period

pytestmark = pytest.mark.django_db


def form_data(unit_, period_, values=None, *, version=0, action="save", **extra):
    """POST data for the report form, from ValueInputs (defaults: a complete plausible report)."""
    values = full_values(unit_, period_) if values is None else values
    data = {"version": str(version), "action": action}
    bases = {i.code: i.base for i in services.indicators_for(unit_, period_) if i.base}
    for code, value in values.items():
        if value.numerator is not None:
            data[f"{code}-num"] = str(value.numerator)
        if value.denominator is not None:
            # A base figure is one field at the top of the form, whichever indicator carries it here.
            data[f"base-{bases[code]}" if code in bases else f"{code}-den"] = str(value.denominator)
        for index, flag in enumerate(value.flags):
            data[f"{code}-flag-{index}"] = "" if flag is None else ("1" if flag else "0")
    data.update(extra)
    return data


@pytest.fixture
def period(units):
    return open_period("2018-H1")


def edit_url(period):
    return reverse("reporting:submission_edit", kwargs={"period_code": period.code})


def test_commune_sees_its_indicators_grouped_with_last_period_figures(login, alice, rita, period):
    previous = open_period("2017-Y")
    approved_report(alice.unit, previous, alice, rita)
    previous.due = previous.end
    previous.save()
    body = login(alice).get(edit_url(period)).content.decode()
    assert "I04" in body and "I30" in body and "I09" in body
    assert "I03" not in body  # the Education Office's indicator, not a commune's
    assert "I12" not in body
    assert "PCGD – XMC" in body and "Mô hình XHHT, HTSĐ" in body
    value = SubmissionValue.objects.get(submission__period=previous, indicator__code="I04")
    assert f"Kỳ trước: {int(value.denominator)}" in body
    assert "Năm 2017" in body  # the previous period is named


def test_department_sees_only_its_body_indicators(login, dora, period):
    body = login(dora).get(edit_url(period)).content.decode()
    assert "I12" in body and "I13" in body and "I26" in body and "I09" in body
    assert "I04" not in body and "I30" not in body


def test_draft_saves_partial_values_and_comes_back(login, alice, period):
    client = login(alice)
    data = form_data(alice.unit, period, {"I04": ValueInput(Decimal(1000), Decimal(1200))})
    response = client.post(edit_url(period), data)
    assert response.status_code == 302
    submission = Submission.objects.get(unit=alice.unit, period=period)
    assert submission.state == SubmissionState.DRAFT
    value = submission.values.get(indicator__code="I04")
    assert (value.numerator, value.denominator) == (1000, 1200)
    body = client.get(edit_url(period)).content.decode()
    assert 'value="1000"' in body and 'value="1200"' in body
    assert "83,3%" in body  # the share, computed on the server too


def test_both_decimal_commas_and_thousand_dots_are_read(login, alice, period):
    data = form_data(alice.unit, period, {}, **{"I04-num": "1.250", "base-population_15_60": "1 500"})
    login(alice).post(edit_url(period), data)
    value = SubmissionValue.objects.get(submission__unit=alice.unit, indicator__code="I04")
    assert (value.numerator, value.denominator) == (1250, 1500)


@pytest.mark.parametrize(
    "typed, message",
    [
        ("abc", "Nhập một số"),
        ("-5", "không được âm"),
        ("66,7", "số nguyên"),
        ("66.7", "số nguyên"),
        ("12%", "Không nhập tỷ lệ %"),
        ("1e400", "quá lớn"),
        ("99999999999999999", "quá lớn"),
        ("NaN", "Nhập một số"),
    ],
)
def test_bad_count_is_refused_beside_the_field_and_everything_typed_stays(login, alice, period, typed, message):
    data = form_data(
        alice.unit,
        period,
        {},
        **{"I04-num": typed, "base-population_15_60": "1500", "I05-num": "7", "task_1": "Đã làm"},
    )
    response = login(alice).post(edit_url(period), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert 'id="error-I04-num"' in body
    assert f'value="{typed}"' in body and 'value="1500"' in body and 'value="7"' in body and "Đã làm" in body
    assert not Submission.objects.filter(unit=alice.unit).exists()


def test_numerator_above_denominator_is_refused(login, alice, period):
    data = form_data(alice.unit, period, {"I05": ValueInput(Decimal(60), Decimal(50))})
    body = login(alice).post(edit_url(period), data).content.decode()
    assert "Tử số không được lớn hơn mẫu số." in body
    assert not Submission.objects.filter(unit=alice.unit).exists()
    # Over a base figure: the message names it, beside the numerator.
    data = form_data(alice.unit, period, {"I04": ValueInput(Decimal(1600), Decimal(1500))})
    body = login(alice).post(edit_url(period), data).content.decode()
    assert "Không được lớn hơn Số người trong độ tuổi 15–60 (1500, số liệu nền ở đầu báo cáo)." in body
    assert 'id="error-I04-num"' in body
    assert not Submission.objects.filter(unit=alice.unit).exists()


def test_bad_yes_no_answer_is_refused(login, alice, period):
    data = form_data(alice.unit, period, {}, **{"I02-flag-1": "maybe"})
    body = login(alice).post(edit_url(period), data).content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ" in body or "Select a valid choice" in body or "không hợp lệ" in body
    assert not Submission.objects.filter(unit=alice.unit).exists()


def test_submit_requires_every_value_but_draft_does_not(login, alice, period):
    client = login(alice)
    values = full_values(alice.unit, period)
    del values["I05"]
    values["I02"] = ValueInput(flags=[True, None, True])
    response = client.post(edit_url(period), form_data(alice.unit, period, values, action="submit"))
    body = response.content.decode()
    assert response.status_code == 200
    # I05 numerator, denominator, I02's second answer: beside each field, and once more in the summary at the top.
    summary = body[body.index("data-error-summary") : body.index("</section>", body.index("data-error-summary"))]
    assert summary.count("Cần nhập trước khi gửi báo cáo.") == 3
    assert body.count("Cần nhập trước khi gửi báo cáo.") == 6
    # The refusal is said once, by the summary: no second "not saved" alert above it.
    assert "Chưa lưu: có 3 lỗi cần sửa" in summary and body.count("Chưa lưu") == 1
    assert not Submission.objects.filter(unit=alice.unit).exists()
    assert client.post(edit_url(period), form_data(alice.unit, period, values)).status_code == 302
    assert Submission.objects.get(unit=alice.unit).state == SubmissionState.DRAFT


def test_submit_then_report_is_read_only_for_the_unit(login, alice, period):
    client = login(alice)
    response = client.post(edit_url(period), form_data(alice.unit, period, action="submit"))
    assert response.status_code == 302
    submission = Submission.objects.get(unit=alice.unit)
    assert submission.state == SubmissionState.SUBMITTED and submission.submitted_at and not submission.is_late
    body = client.get(edit_url(period)).content.decode()
    assert "đang chờ duyệt" in body and "disabled" in body
    changed = form_data(alice.unit, period, {"I04": ValueInput(Decimal(1), Decimal(2))}, version=submission.version)
    body = client.post(edit_url(period), changed).content.decode()
    assert "không sửa được" in body
    assert submission.values.get(indicator__code="I04").numerator != 1


def test_denominator_jump_warns_without_blocking(login, alice, rita, period, settings):
    settings.XHHT_DENOMINATOR_WARNING_SHARE = 0.2
    previous = open_period("2017-Y")
    approved_report(alice.unit, previous, alice, rita)
    last = SubmissionValue.objects.get(submission__period=previous, indicator__code="I04").denominator
    client = login(alice)
    response = client.post(edit_url(period), form_data(alice.unit, period, {"I04": ValueInput(Decimal(10), last * 10)}))
    assert response.status_code == 302  # saved
    body = client.get(edit_url(period)).content.decode()
    assert "Mẫu số thay đổi 900%" in body
    settings.XHHT_DENOMINATOR_WARNING_SHARE = 20
    assert "⚠ Mẫu số thay đổi" not in client.get(edit_url(period)).content.decode()


def test_entry_closes_after_due_date_unless_extended(login, alice, rita, period):
    import datetime as dt

    period.due = dt.date(2018, 6, 20)
    period.save()
    client = login(alice)
    body = client.get(edit_url(period)).content.decode()
    assert "Đã hết hạn nhập số liệu" in body
    data = form_data(alice.unit, period, {"I04": ValueInput(Decimal(5), Decimal(9))}, **{"task_1": "Giữ lại"})
    body = client.post(edit_url(period), data).content.decode()
    assert "Đã hết hạn nhập số liệu" in body and "Giữ lại" in body and 'value="5"' in body
    assert not Submission.objects.filter(unit=alice.unit).exists()
    services.submission_extend(unit=alice.unit, period=period, by=rita, until=dt.date.today() + dt.timedelta(days=3))
    submission = Submission.objects.get(unit=alice.unit)
    assert (
        client.post(
            edit_url(period), form_data(alice.unit, period, version=submission.version, action="submit")
        ).status_code
        == 302
    )
    submission.refresh_from_db()
    assert submission.state == SubmissionState.SUBMITTED and submission.is_late


def test_second_concurrent_save_is_refused_and_first_values_remain(login, alice, period, client):
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(alice)
    second.force_login(alice)
    first.post(edit_url(period), form_data(alice.unit, period, {"I04": ValueInput(Decimal(100), Decimal(200))}))
    version = Submission.objects.get(unit=alice.unit).version
    # Both open the saved draft at the same version.
    first.post(
        edit_url(period),
        form_data(alice.unit, period, {"I04": ValueInput(Decimal(150), Decimal(200))}, version=version),
    )
    response = second.post(
        edit_url(period),
        form_data(alice.unit, period, {"I04": ValueInput(Decimal(170), Decimal(210))}, version=version),
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "Người khác đã lưu báo cáo này" in body
    assert "I04 · tử số" in body and "150" in body  # what the other person changed
    assert 'value="170"' in body and 'value="210"' in body  # the second person's typing is still there
    value = SubmissionValue.objects.get(submission__unit=alice.unit, indicator__code="I04")
    assert value.numerator == 150 and value.denominator == 200
    # Having seen the changes, saving again is a conscious choice and goes through.
    newer = Submission.objects.get(unit=alice.unit).version
    assert f'name="version" value="{newer}"' in body
    second.post(
        edit_url(period), form_data(alice.unit, period, {"I04": ValueInput(Decimal(170), Decimal(210))}, version=newer)
    )
    value.refresh_from_db()
    assert value.numerator == 170


def test_commune_b_cannot_see_or_change_commune_a_report(login, alice, bob, period):
    login(alice).post(edit_url(period), form_data(alice.unit, period, {"I04": ValueInput(Decimal(100), Decimal(200))}))
    submission_a = Submission.objects.get(unit=alice.unit)
    client = login(bob)
    for name in ("reporting:submission_detail", "reporting:submission_history"):
        assert client.get(reverse(name, kwargs={"pk": submission_a.pk})).status_code == 404
    # Form fields naming A's unit or submission are ignored: bob's post lands in his own report only.
    data = form_data(
        bob.unit, period, {"I04": ValueInput(Decimal(1), Decimal(2))}, unit="06973", unit_id=str(alice.unit.pk),
        submission=str(submission_a.pk), pk=str(submission_a.pk),
    )  # fmt: skip
    client.post(edit_url(period), data)
    assert SubmissionValue.objects.get(submission=submission_a, indicator__code="I04").numerator == 100
    assert Submission.objects.get(unit=bob.unit).values.get(indicator__code="I04").numerator == 1
    assert client.post(reverse("reporting:submission_approve", kwargs={"pk": submission_a.pk})).status_code == 404


def test_every_change_writes_history(alice, period):
    services.submission_save_draft(
        unit=alice.unit, period=period, by=alice, values={"I04": ValueInput(Decimal(1), Decimal(2))},
        narrative={"task_1": "A"},
    )  # fmt: skip
    services.submission_save_draft(
        unit=alice.unit, period=period, by=alice, values={"I04": ValueInput(Decimal(2), Decimal(2))}
    )
    events = list(SubmissionEvent.objects.values_list("action", "field", "before", "after"))
    assert events == [
        ("created", "", "", ""),
        ("saved", "base.population_15_60", "", "2"),  # the base figure, typed once, then I04's copy
        ("saved", "I04.num", "", "1"),
        ("saved", "I04.den", "", "2"),
        ("saved", "task_1", "", "A"),
        ("saved", "I04.num", "1", "2"),
    ]


def test_service_refuses_values_a_form_would_refuse(alice, period):
    with pytest.raises(services.SubmissionError, match="tử số không được lớn hơn mẫu số"):
        services.submission_save_draft(
            unit=alice.unit, period=period, by=alice, values={"I04": ValueInput(Decimal(3), Decimal(2))}
        )
    with pytest.raises(services.SubmissionError, match="số nguyên không âm"):
        services.submission_save_draft(
            unit=alice.unit, period=period, by=alice, values={"I04": ValueInput(Decimal("1.5"), None)}
        )
    with pytest.raises(services.SubmissionError, match="không thuộc báo cáo"):
        services.submission_save_draft(
            unit=alice.unit, period=period, by=alice, values={"I12": ValueInput(Decimal(1), Decimal(2))}
        )
    assert not Submission.objects.exists()


def test_a_save_racing_past_the_version_check_is_still_refused(alice, period, monkeypatch):
    """The compare-and-set on version catches a writer that slips in after the check."""
    submission = services.submission_save_draft(
        unit=alice.unit, period=period, by=alice, values={"I04": ValueInput(Decimal(1), Decimal(2))}
    )
    original = services._entry_closed_reason

    def someone_else_saves_meanwhile(sub, day):
        Submission.objects.filter(pk=sub.pk).update(version=sub.version + 1)
        return original(sub, day)

    monkeypatch.setattr(services, "_entry_closed_reason", someone_else_saves_meanwhile)
    with pytest.raises(services.StaleSubmissionError):
        services.submission_save_draft(
            unit=alice.unit, period=period, by=alice, values={"I04": ValueInput(Decimal(2), Decimal(2))},
            version=submission.version,
        )  # fmt: skip
    assert SubmissionValue.objects.get(indicator__code="I04").numerator == 1


def test_recognition_totals_ask_only_for_the_denominator(login, alice, period):
    body = login(alice).get(edit_url(period)).content.decode()
    # Households are a base figure: one field at the top, none of I30's own but the note.
    assert 'name="base-households"' in body and 'name="I30-num"' not in body and 'name="I30-den"' not in body
    assert "lấy từ các quyết định công nhận" in body


def test_entry_page_queries_do_not_grow_with_values(login, alice, rita, period, django_assert_max_num_queries):
    previous = open_period("2017-Y")
    approved_report(alice.unit, previous, alice, rita)
    services.submission_save_draft(unit=alice.unit, period=period, by=alice, values=full_values(alice.unit, period))
    client = login(alice)
    # 16, and one for the place in the portal's name, read once into the cache (on this first page).
    with django_assert_max_num_queries(17):
        assert client.get(edit_url(period)).status_code == 200
    submission = Submission.objects.get(unit=alice.unit, period=period)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("reporting:submission_detail", kwargs={"pk": submission.pk})).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reporting:submission_history", kwargs={"pk": submission.pk})).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("reporting:submission_list")).status_code == 200
