"""CAP 1.2: each alert as XML valid against the shipped OASIS schema, in Korean and English."""

import pytest
from lxml import etree

from incidents.alerts.cap import CAP_NS, alert_cap_xml, cap_schema
from incidents.alerts.models import Alert
from tests.factories import log_incident

PATTAYA = {"lat": 12.9276, "lon": 100.8771}
NS = {"cap": CAP_NS}


@pytest.mark.django_db
def test_cap_xml_is_valid_with_korean_and_english_info_and_a_circle(api, bangkok_staff, operator):
    incident = log_incident(reported_by=operator, severity=4, **PATTAYA)
    alert = Alert.objects.get(incident=incident)
    response = api(bangkok_staff).get(f"/api/alerts/{alert.public_id}/cap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/cap+xml")
    doc = etree.fromstring(response.content)
    schema = cap_schema()
    assert schema.validate(doc), schema.error_log
    assert [n.text for n in doc.findall("cap:info/cap:language", NS)] == ["ko-KR", "en-US"]
    assert doc.findtext("cap:info/cap:severity", namespaces=NS) == "Extreme"
    circles = [n.text for n in doc.findall("cap:info/cap:area/cap:circle", NS)]
    assert circles == ["12.92760,100.87710 1", "12.92760,100.87710 1"]
    assert doc.findtext("cap:incidents", namespaces=NS) == incident.reference
    assert "범죄" in doc.findtext("cap:info/cap:event", namespaces=NS)


@pytest.mark.django_db
def test_cap_xml_without_a_point_is_still_valid(operator):
    incident = log_incident(reported_by=operator, location_text="nowhere known")
    doc = etree.fromstring(alert_cap_xml(alert=Alert.objects.get(incident=incident)))
    assert cap_schema().validate(doc), cap_schema().error_log
    assert doc.find("cap:info/cap:area/cap:circle", NS) is None


@pytest.mark.django_db
def test_cap_schema_rejects_a_message_that_breaks_it(operator):
    incident = log_incident(reported_by=operator, **PATTAYA)
    doc = etree.fromstring(alert_cap_xml(alert=Alert.objects.get(incident=incident)))
    doc.find("cap:info/cap:urgency", NS).text = "Whenever"
    assert not cap_schema().validate(doc)
    doc = etree.fromstring(alert_cap_xml(alert=Alert.objects.get(incident=incident)))
    doc.remove(doc.find("cap:sender", NS))
    assert not cap_schema().validate(doc)
    doc = etree.fromstring(alert_cap_xml(alert=Alert.objects.get(incident=incident)))
    doc.find("cap:sent", NS).text = "2026-11-20T09:30:00Z"  # CAP forbids "Z"
    assert not cap_schema().validate(doc)
