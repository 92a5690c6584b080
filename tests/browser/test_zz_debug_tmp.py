import pytest
from tests.factories import make_user
pytestmark = pytest.mark.browser
def test_dbg(page, sign_in):
    sign_in(make_user(handle="ada"))
    page.goto("/accounts/settings/password")
    print(page.evaluate("() => [document.getElementById('id_new_password1').getAttribute('aria-describedby'), document.getElementById('id_new_password1_helptext').outerHTML]"))
    page.goto("/accounts/signup"); page.get_by_label("Password").fill("x"); page.get_by_role("button", name="Create my account").click()
    page.get_by_label("Handle").wait_for()
    print(page.evaluate("() => document.getElementById('id_handle').outerHTML"))
