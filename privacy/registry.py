"""The privacy registry: every model and every field, classified, with its purpose and how
long it is kept. `tests/test_privacy_registry.py` fails for a model or field missing here,
and docs/privacy.md is written from the same facts for the data protection impact assessment.

Classes: "none" (nothing about a person), "personal" (identifies or concerns a person),
"sensitive" (what a manager wrote in confidence, credentials, or health-related figures).

`never_exported` names fields, classified as above, that no export ever holds, not even the
person's own: credentials, codes, and anything that can carry a one-time link (a password
reset, an unsubscribe or a calendar address), and what is only an index of what an export
already holds (the journal's search words). `privacy/export.py` leaves them out by this
rule; `tests/privacy/test_export_secrets.py` checks every export against it.

`subject` and `mentions` name the relations (ORM lookups) that tie a row to a person: a row
is *about* its subject (the export gives them all of it), and only *mentions* a person who,
say, marked the attendance (the export gives them the row without the others' personal
fields). Every relation to a user is one or the other; a test checks it. Rows found without
a relation (sign-in logs by username, emails by address) are matched in `privacy/export.py`.

A person reads `purpose` and `retention` on Mina uppgifter (`privacy/readable.py`), translated
through the message catalogue: a changed text needs its translation in locale/sv too.
"""

from dataclasses import dataclass

NONE, PERSONAL, SENSITIVE = "none", "personal", "sensitive"


@dataclass(frozen=True)
class Entry:
    purpose: str
    retention: str
    none: str = ""
    personal: str = ""
    sensitive: str = ""
    subject: str = ""
    mentions: str = ""
    never_exported: str = ""

    def fields(self) -> dict[str, str]:
        result = {}
        for level in (NONE, PERSONAL, SENSITIVE):
            for name in getattr(self, level).split():
                if name in result:
                    raise ValueError(f"{name} is classified twice")
                result[name] = level
        return result

    def secrets(self) -> set[str]:
        """The fields no export holds."""
        return set(self.never_exported.split())


KEPT_WHILE_EMPLOYED = "while the person is a manager, coach or HR officer in the municipality"

REGISTRY: dict[str, Entry] = {
    # People and organisation.
    "accounts.User": Entry(
        purpose="Sign-in, roles, and whom sessions, reminders and reports concern.",
        retention=KEPT_WHILE_EMPLOYED + "; deactivated, then anonymised after 2 years.",
        none=(
            "id is_superuser is_active is_staff date_joined deactivated_at language groups "
            "user_permissions"
        ),
        personal="email full_name title department last_login",
        sensitive="password",
        never_exported="password",
    ),
    "accounts.Department": Entry(
        purpose="The organisation: förvaltningar and enheter.",
        retention="While the department exists; kept inactive afterwards for the statistics.",
        none="id name kind parent is_active",
    ),
    "accounts.StaffImport": Entry(
        purpose="Preview and audit of staff list imports.",
        retention="1 year.",
        none="id created_at filename status applied_at deactivate_missing summary",
        personal="created_by rows missing_emails",
        mentions="created_by",
    ),
    "auth.Group": Entry(purpose="The roles.", retention="Permanent.", none="id name permissions"),
    "auth.Permission": Entry(
        purpose="What each role may do.",
        retention="Permanent.",
        none="id name content_type codename",
    ),
    "contenttypes.ContentType": Entry(
        purpose="Django's register of models.", retention="Permanent.", none="id app_label model"
    ),
    "sessions.Session": Entry(
        purpose="Keeping a person signed in.",
        retention="30 minutes idle, 12 hours at most; gallring clears expired rows nightly.",
        none="session_key expire_date",
        personal="session_data",
        never_exported="session_key session_data",
    ),
    "admin.LogEntry": Entry(
        purpose="What administrators changed in the admin.",
        retention="2 years.",
        none="id action_time content_type object_id action_flag",
        personal="user object_repr change_message",
        subject="user",
    ),
    # Sign-in protection (django-axes).
    "axes.AccessAttempt": Entry(
        purpose="Counting failed sign-ins for the lockout.",
        retention=(
            "Until the lockout ends (15 minutes) or the next successful sign-in; gallring "
            "clears what is left a day after the last failure."
        ),
        none="id http_accept path_info attempt_time failures_since_start",
        personal="user_agent ip_address username get_data post_data",
        never_exported="get_data post_data",
    ),
    "axes.AccessAttemptExpiration": Entry(
        purpose="When a lockout ends.",
        retention="As its attempt.",
        none="access_attempt expires_at",
    ),
    "axes.AccessFailureLog": Entry(
        purpose="Security log of failed sign-ins.",
        retention="90 days.",
        none="id http_accept path_info attempt_time locked_out",
        personal="user_agent ip_address username",
    ),
    "axes.AccessLog": Entry(
        purpose="Security log of sign-ins and sign-outs.",
        retention="90 days.",
        none="id http_accept path_info attempt_time logout_time",
        personal="user_agent ip_address username session_hash",
        never_exported="session_hash",
    ),
    # Two-step verification (django-otp): for coaches, HR and administrators.
    "otp_totp.TOTPDevice": Entry(
        purpose="Two-step sign-in: the authenticator app's shared secret.",
        retention=KEPT_WHILE_EMPLOYED + "; deleted when the app is changed or the person is "
        "anonymised.",
        none=(
            "id name confirmed created_at last_used_at throttling_failure_timestamp "
            "throttling_failure_count step t0 digits tolerance drift last_t"
        ),
        personal="user",
        sensitive="key",
        subject="user",
        never_exported="key",
    ),
    "otp_static.StaticDevice": Entry(
        purpose="Two-step sign-in: holds the person's recovery codes.",
        retention=KEPT_WHILE_EMPLOYED + "; deleted when the person is anonymised.",
        none=(
            "id name confirmed created_at last_used_at throttling_failure_timestamp "
            "throttling_failure_count"
        ),
        personal="user",
        subject="user",
    ),
    "otp_static.StaticToken": Entry(
        purpose="Two-step sign-in: one single-use recovery code.",
        retention="Until used or replaced by new codes.",
        none="id device",
        sensitive="token",
        subject="device__user",
        never_exported="token",
    ),
    # Email.
    "notifications.OutboxMessage": Entry(
        purpose="Sending every email once, and showing administrators what failed.",
        retention="90 days after sending.",
        none=(
            "id status idempotency_key from_email attempts last_error created_at "
            "next_attempt_at enqueued_at claimed_at sent_at alternatives attachments"
        ),
        # headers: List-Unsubscribe holds an address signed for the recipient.
        personal="recipient_user to cc bcc reply_to subject body_text body_html headers",
        subject="recipient_user",
        never_exported="headers body_text body_html alternatives attachments",
    ),
    "notifications.Preference": Entry(
        purpose="Which reminders a person wants.",
        retention=KEPT_WHILE_EMPLOYED + ".",
        none="id disabled_kinds updated_at",
        personal="user unsubscribed_at",
        subject="user",
    ),
    "notifications.Pause": Entry(
        purpose="Vacations without reminders.",
        retention="1 year after the pause ends.",
        none="id starts_on ends_on created_at",
        personal="user",
        subject="user",
    ),
    # The programme.
    "programme.Theme": Entry(
        purpose="The three themes.", retention="Permanent.", none="id slug name description order"
    ),
    "programme.FocusArea": Entry(
        purpose="Focus areas.", retention="Permanent.", none="id slug name description order"
    ),
    "programme.Keyword": Entry(
        purpose="The ledord.", retention="Permanent.", none="id slug name description order"
    ),
    "programme.Programme": Entry(
        purpose="A run of the training.",
        retention=(
            "The municipality's record of its training: kept until removed by hand under its "
            "gallringsbeslut (no automatic gallring); the people in it are anonymised when "
            "they are erased."
        ),
        none=(
            "id name starts_on ends_on description repetition_offsets inactivity_nudge created_at"
        ),
        personal="coaches",
        subject="coaches",
    ),
    "programme.Cohort": Entry(
        purpose="Training groups.",
        retention="As its programme.",
        none="id programme name starts_on ends_on created_at",
        personal="coaches",
        subject="coaches",
    ),
    "programme.CohortMembership": Entry(
        purpose="Who took part in which group, and when.",
        retention="As its programme.",
        none="id cohort programme joined_on left_on",
        personal="user",
        subject="user",
    ),
    "programme.NetworkRound": Entry(
        purpose="Cross-department network groups.",
        retention="As its programme.",
        none="id programme name created_at published_at cohorts",
        personal="created_by",
        mentions="created_by",
    ),
    "programme.NetworkGroup": Entry(
        purpose="Who meets whom in a network round.",
        retention="As its programme.",
        none="id round number",
        personal="members",
        subject="members",
    ),
    "programme.Module": Entry(
        purpose="Material per theme.",
        retention="As its programme.",
        none="id programme theme title theory practice order updated_at",
    ),
    "programme.ModuleLink": Entry(
        purpose="Links in the material.", retention="As its module.", none="id module title url"
    ),
    "programme.ModuleAttachment": Entry(
        purpose="Files in the material.",
        retention="As its module.",
        none="id module title file original_name content_type size uploaded_at",
        personal="uploaded_by",
        mentions="uploaded_by",
    ),
    # Sessions.
    "training_sessions.TrainingSession": Entry(
        purpose="The training's meetings.",
        retention="As its programme.",
        none=(
            "id programme cohort capacity theme focus_area format title description starts_at "
            "ends_at place key_points status series uid checkin_code sequence cancelled_at "
            "cancel_undo_until created_at updated_at recurrence_id"
        ),
        personal="coaches",
        subject="coaches",
        never_exported="checkin_code",
    ),
    "training_sessions.SessionSeries": Entry(
        purpose="Sessions made from one rule.",
        retention="As its programme.",
        none="id programme cohort interval_weeks created_at skipped_dates",
        personal="created_by",
        mentions="created_by",
    ),
    "training_sessions.Invitation": Entry(
        purpose="Invitations, förhinder and attendance (attendance is part of the job).",
        retention="As its programme; anonymised with the person.",
        none="id session invited_at is_makeup excused_at attendance attendance_marked_at",
        personal="user attendance_marked_by",
        sensitive="excuse_comment",
        subject="user",
        mentions="attendance_marked_by",
    ),
    "training_sessions.CalendarFeed": Entry(
        purpose="A person's secret calendar address.",
        retention=KEPT_WHILE_EMPLOYED + ".",
        none="id created_at",
        personal="user token",
        subject="user",
        never_exported="token",
    ),
    # The journal: the author's alone.
    "reflections.Entry": Entry(
        purpose="The manager's private reflection journal.",
        retention="Until the author deletes it (30 days in the trash), or with the person.",
        none="id written_on session theme focus_area prompt shared_at version created_at "
        "updated_at deleted_at keywords",
        personal="author readers",
        sensitive="title body search_vector",
        subject="author",
        mentions="readers",
        # The search's index of the title's and text's words: the export holds the text.
        never_exported="search_vector",
    ),
    "reflections.Feedback": Entry(
        purpose="The coach's feedback on a shared entry.",
        retention="As its entry.",
        none="id entry created_at seen_at",
        personal="coach",
        sensitive="text",
        subject="coach entry__author",
    ),
    "reflections.Commitment": Entry(
        purpose="What the manager will try (provgöra), and how it went.",
        retention="Until the author deletes it, or with the person.",
        none="id due_on entry session outcome followed_up_at created_at",
        personal="author",
        sensitive="text outcome_reflection",
        subject="author",
    ),
    "reflections.LedordRating": Entry(
        purpose="The manager's self-ratings on the ledord.",
        retention="As the journal.",
        none="id rated_on entry created_at",
        personal="author",
        sensitive="modigt tydligt engagerande",
        subject="author",
    ),
    "reflections.Prompt": Entry(
        purpose="The coach's reflection questions.",
        retention="As its programme.",
        none="id question theme session created_at",
        personal="coach",
        subject="coach",
    ),
    "reflections.Repetition": Entry(
        purpose="That a manager repeated a session (for their own progress and HR's counts).",
        retention="As its programme; anonymised with the person.",
        none="id session created_at",
        personal="author",
        subject="author",
    ),
    # Session evaluations: confidential answers.
    "evaluations.Question": Entry(
        purpose="The coach's own question in a session's evaluation.",
        retention="As its session.",
        none="id session text created_at",
        personal="created_by",
        mentions="created_by",
    ),
    "evaluations.Answer": Entry(
        purpose="How useful a manager found a session they attended (figures for the coach "
        "once at least 5 have answered; never shown with a name).",
        retention="As its session; the person's tie to it is removed when they are erased.",
        none="id session usefulness created_at updated_at",
        personal="respondent",
        subject="respondent",
    ),
    "evaluations.AnswerText": Entry(
        purpose="What a manager will try after a session, and their answer to the coach's "
        "question (shown to the coach without names once at least 5 have answered).",
        retention="3 years from when it was written, then deleted (the rating stays).",
        none="id answer question written_at",
        sensitive="will_try question_answer",
        subject="answer__respondent",
    ),
    # The network group's questions and answers: the group's alone.
    "network.Question": Entry(
        purpose="A manager's question or challenge to their network group (ta hjälp av "
        "varandra): read by the group's current members and the asker, and by the group's "
        "coaches only when the asker includes them.",
        retention="2 years after the thread's latest post, then deleted with its answers; at "
        "once when the asker deletes it. Erasure removes the asker's name; the question stays "
        "for the group.",
        none=(
            "id group includes_coach created_at edited_at resolved_at deleted_at last_activity_at"
        ),
        personal="author",
        sensitive="title body",
        subject="author",
    ),
    "network.Answer": Entry(
        purpose="An answer in a network group's thread.",
        retention="As its question; at once when its author deletes it. Erasure removes the "
        "author's name; the answer stays for the group.",
        none="id question created_at edited_at",
        personal="author",
        sensitive="body",
        subject="author",
    ),
    "programme.FrameworkSuggestion": Entry(
        purpose="A manager's signed suggestion or comment on a theme, focus area or ledord to "
        "the coaches of their programme, and a coach's answer; a coach may publish both for "
        "everyone in the programme, without the manager's name. HR sees counts only.",
        retention="3 years after it was sent or last answered, then deleted; at once when its "
        "author withdraws it (the text and the answer are cleared). Erasure deletes what was "
        "not published and removes the name from what was.",
        none=(
            "id programme theme focus_area keyword created_at answered_at published_at withdrawn_at"
        ),
        personal="author answered_by",
        sensitive="text answer",
        subject="author",
        mentions="answered_by",
    ),
    "network.SharedEntry": Entry(
        purpose="A copy of one journal entry that its author chose to share with their network "
        "group, as it was at that moment: read by the group's current members only.",
        retention="2 years after it was shared (sharing again counts anew), then deleted; at "
        "once when the author takes it back or deletes the entry for good. Erasure removes the "
        "author's name and the link to the deleted entry; the copy stays for the group.",
        none="id group written_on shared_at",
        personal="author entry",
        sensitive="title body",
        subject="author",
    ),
    "network.QuestionRead": Entry(
        purpose="When a person last opened a thread, to mark what is new to them.",
        retention="As its question; deleted with the person.",
        none="id question read_at",
        personal="user",
        subject="user",
    ),
    # The network group's meetings: the group's alone; the coach sees counts.
    "network.Meeting": Entry(
        purpose="A meeting a member proposes for their network group (time, place or link, "
        "what to talk about): seen by the group's current members; the coach sees only how "
        "many meetings each group has held.",
        retention="2 years after the meeting, then deleted with its invitations (the "
        "takeaways stay in their authors' journals). Erasure removes the proposer's name; the "
        "meeting stays for the group.",
        none="id group starts_at ends_at uid sequence cancelled_at created_at updated_at",
        personal="proposed_by place link",
        sensitive="note",
        subject="proposed_by",
    ),
    "network.MeetingInvitation": Entry(
        purpose="Who was invited to a network meeting and whether they answered that they "
        "are coming (shown to the group).",
        retention="As its meeting; deleted with the person.",
        none="id meeting response responded_at invited_at",
        personal="user",
        subject="user",
    ),
    "network.MeetingTakeaway": Entry(
        purpose="Ties a member's journal entry (their takeaway) to a network meeting; the "
        "entry itself is the author's, private as every entry.",
        retention="As its meeting or its entry, whichever goes first.",
        none="id meeting entry",
        subject="entry__author",
    ),
    "evaluations.ThemeQuestion": Entry(
        purpose="The coach's question in the evaluations of a theme's sessions in a programme.",
        retention="As its programme.",
        none="id programme theme text created_at",
        personal="created_by",
        mentions="created_by",
    ),
    "evaluations.Survey": Entry(
        purpose="A yearly benefit survey for a programme or every manager: its statements, "
        "dates and who opened it.",
        retention="As long as the portal is used (its figures are the programme's results).",
        none="id title programme opens_on closes_on closed_early_at open_question created_at",
        personal="created_by",
        mentions="created_by",
    ),
    "evaluations.SurveyStatement": Entry(
        purpose="A statement of a benefit survey, rated 1 to 5.",
        retention="As its survey.",
        none="id survey text order",
    ),
    "evaluations.SurveyResponse": Entry(
        purpose="That a manager answered a benefit survey, and where they worked then, so that "
        "they can change their answer while it is open (figures only for groups of at least 5; "
        "never shown with a name).",
        retention="As its survey; the person's tie to it is removed when they are erased.",
        none="id survey created_at updated_at",
        personal="respondent department",
        subject="respondent",
    ),
    "evaluations.SurveyRating": Entry(
        purpose="A manager's rating of one statement of a benefit survey (figures only for "
        "groups of at least 5; never shown with a name).",
        retention="As its survey; kept as an anonymous figure when the person is erased.",
        none="id response statement value",
        subject="response__respondent",
    ),
    "evaluations.SurveyText": Entry(
        purpose="A manager's answer to a benefit survey's open question (shown without names, "
        "in alphabetical order, once the survey has closed with at least 5 answers).",
        retention="3 years from when it was written, then deleted (the ratings stay).",
        none="id response written_at",
        sensitive="text",
        subject="response__respondent",
    ),
    # Reminders.
    "reminders.Reminder": Entry(
        purpose="The planner's reminders, and whether a step was answered.",
        retention="1 year after sending.",
        none=(
            "id key kind session commitment survey step offset_days base_on due_at status "
            "skip_reason sent_at message responded_at response created_at"
        ),
        personal="user",
        subject="user",
    ),
    # Reports.
    "reports.SickLeaveFigure": Entry(
        purpose="Sick leave per department and month, beside participation.",
        retention="10 years (the municipality's statistics).",
        none="id department month employees source",
        sensitive="scheduled_hours sick_hours",
    ),
    "reports.SickLeaveImport": Entry(
        purpose="Preview and audit of sick-leave imports.",
        retention="1 year.",
        none="id created_at filename status applied_at summary",
        personal="created_by",
        sensitive="rows",
        mentions="created_by",
    ),
    "reports.ReportAccess": Entry(
        purpose="Who looked at which report (append-only audit log).",
        retention="5 years.",
        none="id action report file_format filters created_at",
        personal="user",
        subject="user",
    ),
    "privacy.DeletionRecord": Entry(
        purpose="What gallring deleted: which rule, how many rows, and their ids.",
        retention="10 years.",
        none="id rule model cutoff deleted object_ids cascaded created_at",
    ),
    "privacy.ErasureRecord": Entry(
        purpose="That a person's data was erased, by whom and how much (never who they were).",
        retention="10 years.",
        none="id person_id reason counts created_at",
        personal="erased_by",
        mentions="erased_by",
    ),
    "privacy.RetentionRun": Entry(
        purpose="When gallring ran and how many rows each rule deleted.",
        retention="10 years.",
        none="id started_at finished_at deleted",
    ),
    "health.Heartbeat": Entry(
        purpose="That the scheduler runs.",
        retention="Overwritten every 30 seconds.",
        none="name beat_at",
    ),
}

# Who sees each app's data in the portal.
WHO_SEES = {
    "accounts": "The person; HR and administrators (the staff list); coaches see the names and "
    "departments of their groups' members.",
    "auth": "Administrators.",
    "contenttypes": "Nobody (Django's own bookkeeping).",
    "sessions": "Nobody (the server only).",
    "admin": "Administrators.",
    "axes": "Administrators, in the admin.",
    "otp_totp": "Nobody: the secret is never shown again after setup (administrators can "
    "delete a device in the admin, to reset a lost phone).",
    "otp_static": "The person, once, when the codes are made; administrators can delete them.",
    "notifications": "The person their own settings; administrators the outbox (emails can "
    "hold password-reset links).",
    "programme": "Everyone signed in sees programmes and material; coaches and administrators "
    "their groups; HR the groups, for the statistics; managers their own group.",
    "training_sessions": "Managers their own sessions and attendance; coaches and "
    "administrators their sessions; HR attendance figures per manager.",
    "reflections": "The author alone. A coach reads an entry only while its author shares it, "
    "and only if they ran one of the author's training groups when it was shared and still "
    "do (the author sees who); "
    "HR and administrators never see any text in the portal (counts only, for groups of at "
    "least 5 managers).",
    "evaluations": "The person their own answers. The coaches of a session its figures, and "
    "its texts without names, once at least 5 have answered; nobody sees who answered what, "
    "administrators included (the answers are not on the administration site).",
    "network": "A question and its answers: the network group's current members and the "
    "asker; the group's coaches only when the asker included them. A meeting and the "
    "members' answers: the group's current members; the coaches only how many meetings each "
    "group has held. A journal entry's shared copy: the group's current members and its "
    "author. HR and administrators never "
    "see the text (not on the administration site either; their extract of a person withholds "
    "it).",
    "reminders": "The person their own coming reminders; coaches counts per repetition step; "
    "administrators in the admin (times and states, never text).",
    "reports": "HR and administrators (figures for groups big enough only); administrators "
    "the access log.",
    "privacy": "Administrators.",
    "health": "Anyone, as up or down, on /healthz.",
}
