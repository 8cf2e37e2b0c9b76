"""One network group: Maja (the asker), her colleagues Olle and Pia, and their coach Karin;
Bo, a manager in another group of another programme; Nina, a manager in no group; HR and
an administrator outside."""

import pytest

from programme import services as programme_services
from tests.factories import CohortFactory, ManagerFactory


@pytest.fixture
def group_world(db, manager, coach, hr_user, admin_user):
    olle = ManagerFactory(full_name="Olle Kollega")
    pia = ManagerFactory(full_name="Pia Kollega")
    cohort = CohortFactory(coaches=[coach], members=[manager, olle, pia])
    network_round = programme_services.network_round_generate(
        programme=cohort.programme, cohorts=[cohort], name="Runda 1", created_by=coach
    )
    programme_services.network_round_publish(network_round=network_round)
    group = network_round.groups.get()
    bo = ManagerFactory(full_name="Bo Annangrupp")
    other = CohortFactory(members=[bo, *ManagerFactory.create_batch(2)])
    other_round = programme_services.network_round_generate(
        programme=other.programme, cohorts=[other], name="Runda X", created_by=coach
    )
    programme_services.network_round_publish(network_round=other_round)
    return {
        "asker": manager,
        "olle": olle,
        "pia": pia,
        "coach": coach,
        "group": group,
        "cohort": cohort,
        "other_group_member": bo,
        "no_group": ManagerFactory(full_name="Nina Utangrupp"),
        "hr": hr_user,
        "admin": admin_user,
    }
