from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from lapor.reports.models import Report
from tests.portal.test_submit import _form


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_sends_of_one_form_make_one_report(regency):
    # given one form, sent twice at the same moment (a double click on a slow phone)
    first = Client()
    data = _form(first, regency)
    second = Client()
    second.cookies = first.cookies
    barrier = threading.Barrier(2)
    answers: list[str] = []

    def send(client: Client) -> None:
        barrier.wait()
        try:
            answers.append(client.post("/lapor/", data)["Location"])
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(c,)) for c in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then one report exists and both answers lead to its confirmation
    assert Report.objects.count() == 1
    assert len(answers) == 2 and answers[0] == answers[1]
