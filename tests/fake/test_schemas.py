"""The contract check itself: it catches what a careless fake (or client) would send."""

from __future__ import annotations

import pytest

from cachebust.fake import ContractViolation
from cachebust.fake._schemas import check, check_reply


@pytest.mark.parametrize(
    ("reply", "where"),
    [
        ({"service": {"id": 1}}, "service.id"),
        ({"service": {"version": 3}}, "service.version"),
        ({"service": {"status": "RUNNING"}}, "service.status"),
        ({"service": {"created_at": "yesterday"}}, "service.created_at"),
        ({"service": {"project": "x"}}, "service.project"),
        ({"services": []}, "services"),
    ],
)
def test_a_reply_that_does_not_fit_is_a_contract_violation(
    reply: dict[str, object], where: str
) -> None:
    with pytest.raises(ContractViolation, match=f"{where}:"):
        check_reply("GetServiceReply", reply)


def test_list_counts_must_be_integers() -> None:
    problems = check("ListDeploymentsReply", {"deployments": [], "count": "3", "has_next": "no"})
    assert {where for where, _ in problems} == {"count", "has_next"}


def test_the_logs_reply_needs_typed_pagination() -> None:
    assert check("QueryLogsReply", {"data": [], "pagination": {"has_more": "false"}})
    assert not check("QueryLogsReply", {"data": [], "pagination": {"has_more": False}})
