"""Read iCalendar text from stdin with libical (GObject bindings) and print JSON.

Run with Debian's /usr/bin/python3 (python3-gi, gir1.2-ical-3.0), not the venv.
"""

import json
import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib as ICal  # noqa: E402

text = sys.stdin.read()
root = ICal.Component.new_from_string(text)
utc = ICal.Timezone.get_utc_timezone()
method_prop = root.get_first_property(ICal.PropertyKind.METHOD_PROPERTY)
out = {"method": method_prop.get_value_as_string() if method_prop else None, "events": []}
event = root.get_first_component(ICal.ComponentKind.VEVENT_COMPONENT)
while event is not None:
    start = event.get_dtstart()
    end = event.get_dtend()
    # Resolve TZID against the calendar's own VTIMEZONE (not libical's built-in zone data),
    # the way Evolution does.
    times = []
    for t in (start, end):
        if t is None or t.is_null_time():
            times.append(None)
            continue
        zone = utc
        if t.get_tzid() and not t.is_utc():
            zone = root.get_timezone(t.get_tzid())
            if zone is None:
                raise SystemExit(f"TZID {t.get_tzid()} has no VTIMEZONE")
        # as_timet_with_zone reads the wall-clock time as being in `zone`.
        times.append(t.as_timet_with_zone(zone))
    status_prop = event.get_first_property(ICal.PropertyKind.STATUS_PROPERTY)
    url_prop = event.get_first_property(ICal.PropertyKind.URL_PROPERTY)
    attendees = []
    prop = event.get_first_property(ICal.PropertyKind.ATTENDEE_PROPERTY)
    while prop is not None:
        cn = prop.get_first_parameter(ICal.ParameterKind.CN_PARAMETER)
        attendees.append({"email": prop.get_attendee(), "cn": cn.get_cn() if cn else None})
        prop = event.get_next_property(ICal.PropertyKind.ATTENDEE_PROPERTY)
    out["events"].append(
        {
            "uid": event.get_uid(),
            "sequence": event.get_sequence(),
            "summary": event.get_summary(),
            "location": event.get_location(),
            "description": event.get_description(),
            "status": status_prop.get_value_as_string() if status_prop else None,
            "url": url_prop.get_url() if url_prop else None,
            "tzid": start.get_tzid(),
            "start_utc": times[0],
            "end_utc": times[1],
            "attendees": attendees,
        }
    )
    event = root.get_next_component(ICal.ComponentKind.VEVENT_COMPONENT)
print(json.dumps(out))
