"""In Chromium: a public page carries no token and sets no cookie, yet its forms work — the
language switch (CSRF-exempt) and a public form marked `data-dx-csrf`, which `core/dxday.js`
gives a token fetched from /csrf/ just before it is sent."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_FORM = """() => {
  const form = document.createElement("form");
  form.method = "post";
  form.action = "/dang-nhap/";
  form.innerHTML = '<input name="username" value="khong-co"><input name="password" value="sai">'
    + '<button type="submit" id="send">Gửi</button>';
  document.querySelector("main").appendChild(form);
}"""


def _cookies(page) -> set[str]:
    return {c["name"] for c in page.context.cookies()}


@pytest.mark.parametrize("marked", [True, False])
def test_public_form_gets_its_token_on_submit(page, tree, marked):
    page.goto(page.base_url + "/")
    assert _cookies(page) == set()
    assert page.locator("input[name=csrfmiddlewaretoken]").count() == 0
    page.evaluate(PUBLIC_FORM)
    if marked:
        page.evaluate("""() => document.querySelector('form[action="/dang-nhap/"]')
                       .setAttribute("data-dx-csrf", "/csrf/")""")
    with page.expect_navigation():
        page.click("#send")
    body = page.content()
    if marked:
        # The login view answered (a wrong password), not the CSRF failure page.
        assert "csrftoken" in _cookies(page)
        assert "CSRF" not in body and page.locator("#id_username").count() == 1
    else:
        assert "CSRF" in body  # the control: without the token Django refuses the form


def test_language_switch_works_without_a_token(page, tree):
    page.set_viewport_size({"width": 1280, "height": 800})  # the navbar expanded
    page.goto(page.base_url + "/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Log in").count() >= 1
    assert "csrftoken" not in _cookies(page)
