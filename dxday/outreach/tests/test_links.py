"""Never link what the viewer cannot open: the team menu and the team import link."""

from django.urls import reverse

from dxday.orgs.tests.factories import DEFAULT_PASSWORD


def _login(client, user):
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)


def test_my_team_menu_only_for_who_acts_for_a_team(client, tree, people, team):
    team_url = reverse("outreach:team")
    _login(client, people.th_coordinator)  # holds outreach.manage_team, but has no team
    assert team_url + '"' not in client.get(reverse("orgs:workspace")).content.decode()
    assert client.get(team_url).status_code == 404  # what the menu used to lead to
    _login(client, team.leader_user)
    assert client.get(team_url).status_code == 200
    assert f'href="{team_url}"' in client.get(reverse("orgs:workspace")).content.decode()


def test_team_import_link_only_for_who_may_import(client, tree, people, team):
    progress, import_url = reverse("outreach:progress"), reverse("outreach:team_import")
    for user in (people.th_c1_reporter, people.th_viewer):
        _login(client, user)
        page = client.get(progress)
        assert page.status_code == 200
        assert import_url not in page.content.decode()
        assert client.get(import_url).status_code == 403
    _login(client, people.th_coordinator)
    assert import_url in client.get(progress).content.decode()
    assert client.get(import_url).status_code == 200
