"""The contract check itself: it catches what a careless fake (or client) would send."""

from __future__ import annotations

import subprocess
import sys

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


_ONLY_WHAT_IT_NEEDS = """
import sys
from cachebust.fake._schemas import check_reply, model
check_reply("GetDeploymentReply", {"deployment": {"id": "x", "status": "HEALTHY"}})
loaded = {name for name in sys.modules if name.startswith("koyeb")}
assert "koyeb.api.models.get_deployment_reply" in loaded, loaded
assert not loaded & {"koyeb", "koyeb.api", "koyeb.sandbox", "koyeb.api.api_client"}, loaded
from koyeb.api import ApiClient  # the whole SDK, as usual, after the bare packages
import koyeb.api.models
assert koyeb.api.models.GetDeploymentReply is model("GetDeploymentReply")
assert koyeb.api.models.DeploymentStatus.HEALTHY.value == "HEALTHY"
"""


def test_a_check_imports_only_its_models_and_the_whole_sdk_still_imports_after() -> None:
    """The fake starts in well under a second because a check imports a few model modules,
    not koyeb-sdk's packages; then `import koyeb` must still load the SDK whole, with the
    same model classes (a fresh interpreter: this process may hold the SDK already)."""
    done = subprocess.run(
        [sys.executable, "-c", _ONLY_WHAT_IT_NEEDS], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
