// Reads an iCalendar file on standard input with ical.js (the parser behind Thunderbird)
// and prints what a calendar would show, as JSON: each event's times in UTC, and the
// occurrences of a recurring event with its exceptions applied. For the tests only.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const utc = (time) => new Date(time.toUnixTime() * 1000).toISOString();

const calendar = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
const vevents = calendar.getAllSubcomponents("vevent");
const exceptions = vevents.filter((vevent) => vevent.hasProperty("recurrence-id"));

const events = vevents.map((vevent) => {
  const event = new ICAL.Event(vevent);
  const described = {
    uid: event.uid,
    summary: event.summary,
    description: event.description,
    status: vevent.getFirstPropertyValue("status"),
    sequence: event.sequence,
    recurrenceId: event.recurrenceId ? utc(event.recurrenceId) : null,
    start: utc(event.startDate),
    end: utc(event.endDate),
    occurrences: [],
  };
  if (event.isRecurring() && !event.isRecurrenceException()) {
    const master = new ICAL.Event(vevent, {
      exceptions: exceptions.filter((e) => e.getFirstPropertyValue("uid") === event.uid),
    });
    const iterator = master.iterator();
    for (let next = iterator.next(); next && described.occurrences.length < 200; next = iterator.next()) {
      const details = master.getOccurrenceDetails(next);
      described.occurrences.push({
        recurrenceId: utc(details.recurrenceId),
        start: utc(details.startDate),
        end: utc(details.endDate),
        status: details.item.component.getFirstPropertyValue("status"),
      });
    }
  }
  return described;
});

process.stdout.write(JSON.stringify({ method: calendar.getFirstPropertyValue("method"), events }));
