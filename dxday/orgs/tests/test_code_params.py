import pytest

from dxday.core.errors import DomainError
from dxday.orgs.selectors import commune_by_code_param, province_by_code_param

pytestmark = pytest.mark.django_db


def test_province_codes_with_or_without_leading_zeros(tree):
    assert province_by_code_param("8") == province_by_code_param("08") == tree.tq_province
    assert province_by_code_param(" 38 ") == tree.th_province
    assert province_by_code_param("") is None and province_by_code_param(None) is None
    for bad in ("99", "abc", "٣", "3" * 30):
        with pytest.raises(DomainError) as err:
            province_by_code_param(bad)
        assert (err.value.code, err.value.status) == ("unknown_province", 422)


def test_commune_codes_with_or_without_leading_zeros(tree):
    assert commune_by_code_param("2200") == commune_by_code_param("02200")
    assert commune_by_code_param("02200").code == "02200"
    with pytest.raises(DomainError) as err:
        commune_by_code_param("99999")
    assert err.value.code == "unknown_commune"
