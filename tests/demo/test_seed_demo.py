import pytest
from django.core.management import CommandError, call_command
from django.http import HttpRequest

from accounts.models import Department, User
from accounts.permissions import is_admin, is_coach, is_hr, is_manager
from demo.management.commands.seed_demo import demo_programme_name
from programme.models import CohortMembership, Programme


@pytest.mark.django_db
def test_seed_demo_creates_one_user_per_role_and_is_idempotent(client):
    call_command("seed_demo", allow_without_debug=True, quiet_logins=True)
    call_command("seed_demo", allow_without_debug=True, quiet_logins=True)

    assert User.objects.count() == 15
    assert Department.objects.filter(kind=Department.Kind.FORVALTNING).count() == 3
    users = {user.email: user for user in User.objects.all()}
    assert is_manager(users["chef@demo.invalid"])
    assert is_coach(users["ledartranare@demo.invalid"])
    assert is_hr(users["hr@demo.invalid"])
    assert is_admin(users["admin@demo.invalid"])
    assert client.login(
        request=HttpRequest(), username="chef@demo.invalid", password="Kungsor-demo-2027!"
    )
    programme = Programme.objects.get(name=demo_programme_name())
    assert sorted(programme.cohorts.values_list("name", flat=True)) == [
        "Träningsgrupp A",
        "Träningsgrupp B",
    ]
    assert CohortMembership.objects.filter(left_on__isnull=True).count() == 12
    assert programme.modules.count() == 3
    assert programme.sessions.count() == 7
    assert programme.sessions.filter(status="genomford").count() == 3
    [network_round] = programme.rounds.all()
    assert network_round.is_published
    assert sum(group.members.count() for group in network_round.groups.all()) == 12


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo")
    assert not User.objects.exists()
