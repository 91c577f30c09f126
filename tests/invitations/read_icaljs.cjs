// Read iCalendar text from stdin with ical.js (the parser Thunderbird uses); print JSON.
const path = require('path');
const ICAL = require(path.join(__dirname, '..', 'js', 'node_modules', 'ical.js', 'dist', 'ical.es5.cjs'));
let text = '';
process.stdin.on('data', (chunk) => { text += chunk; });
process.stdin.on('end', () => {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const tz of root.getAllSubcomponents('vtimezone')) {
    ICAL.TimezoneService.register(tz);
  }
  const events = root.getAllSubcomponents('vevent').map((comp) => {
    const ev = new ICAL.Event(comp);
    const start = ev.startDate;
    const end = start ? ev.endDate : null;
    return {
      uid: ev.uid,
      sequence: ev.sequence,
      summary: ev.summary,
      location: ev.location,
      description: ev.description,
      status: comp.getFirstPropertyValue('status'),
      url: comp.getFirstPropertyValue('url'),
      tzid: start && start.zone ? start.zone.tzid : null,
      start_utc: start ? start.toUnixTime() : null,
      end_utc: end ? end.toUnixTime() : null,
      attendees: ev.attendees.map((a) => ({ email: a.getFirstValue(), cn: a.getParameter('cn') })),
    };
  });
  console.log(JSON.stringify({ method: root.getFirstPropertyValue('method'), events }));
});
