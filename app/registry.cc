#include "app/registry.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/validation.h"
#include "proto/request_check.h"

namespace placement::app {
namespace {

constexpr absl::string_view kUpsertCall =
    "ParticipantRegistry.UpsertParticipant";
constexpr absl::string_view kUpdateCall =
    "ParticipantRegistry.UpdateParticipant";
constexpr absl::string_view kGetCall = "ParticipantRegistry.GetParticipant";
constexpr absl::string_view kListCall = "ParticipantRegistry.ListParticipants";
constexpr absl::string_view kEraseCall = "ParticipantRegistry.EraseParticipant";

// `draft` as a participant the caller may store: the home point filled in,
// validated, coach_id the caller's.
absl::StatusOr<Participant> Checked(const Context& context,
                                    const Caller& caller,
                                    ParticipantDraft draft) {
  Participant& participant = draft.participant;
  // A coach who leaves coach_id empty means their own caseload
  // (participant.proto).
  if (participant.coach_id.empty() && caller.role == Role::kCoach) {
    participant.coach_id = caller.principal;
  }
  // Coordinates are optional: the municipality's main town stands in.
  if (!draft.home_point_given) {
    const MunicipalityTable& municipalities = context.reference->municipalities;
    if (std::optional<int> m =
            municipalities.Find(participant.municipality_code)) {
      participant.home = municipalities.all()[*m].centre;
    }
  }
  std::vector<FieldProblem> problems =
      CheckParticipant(participant, *context.reference);
  for (FieldProblem& problem :
       CheckEntryNotAhead(participant, SwedishDate(context.now()))) {
    problems.push_back(std::move(problem));
  }
  if (absl::Status s = ParticipantProblems(problems, "participant"); !s.ok()) {
    return s;
  }
  // The exit date goes with EXITED: today unless the coach gives one, and
  // none with any other status.
  if (participant.status == ParticipantStatus::kExited) {
    if (!participant.exit_date)
      participant.exit_date = SwedishDate(context.now());
    if (!IsValidDate(*participant.exit_date)) {
      return absl::InvalidArgumentError(
          absl::StrCat("participant.exit_date: '",
                       FormatDate(*participant.exit_date), "' is not a date"));
    }
  } else {
    participant.exit_date.reset();
  }
  // A coach may create participants only in their own caseload, and may not
  // take over someone else's.
  if (participant.coach_id != caller.principal) {
    return absl::PermissionDeniedError(absl::StrCat(
        "participant.coach_id: ", QuoteValue(participant.coach_id),
        " is not you; coaches add participants to their own caseload"));
  }
  return std::move(participant);
}

// Writes `participant` to the store, stamped now, with the change of step
// from `before` (none: a new participant, whose entry step is recorded),
// then to the working snapshot. Inside a write step.
absl::Status Save(Context& context, const Caller& caller,
                  Participant& participant, const Participant* before,
                  WorkingSnapshot& working) {
  const absl::Time now = context.now();
  participant.updated_at = now;
  std::optional<StepChange> step_change;
  if (before == nullptr || before->step != participant.step) {
    step_change =
        StepChange{.participant_id = participant.id,
                   .on = SwedishDate(now),
                   .from_step = before == nullptr ? -1 : before->step,
                   .to_step = participant.step,
                   .reason = before == nullptr ? StepChangeReason::kRegistered
                                               : StepChangeReason::kCoach,
                   .placement_id = {},
                   .actor = caller.principal,
                   .at = now};
  }
  if (absl::Status s = context.store->SaveParticipant(participant, step_change);
      !s.ok()) {
    return s;
  }
  working.Update([&](const std::shared_ptr<const Snapshot>& snapshot) {
    return snapshot->WithParticipant(participant);
  });
  return absl::OkStatus();
}

absl::Status Log(Context& context, const Caller& caller, absl::string_view call,
                 const std::string& participant_id) {
  return context.store->AppendAccess(
      AccessRecords(context, caller, call, {participant_id}));
}

ShownParticipant ShownTo(const Caller& caller, const Participant& participant) {
  ShownParticipant shown{.participant = participant};
  if (!SeesSensitiveFields(caller, participant)) {
    shown.participant.needs.clear();
    shown.participant.gender = Participant{}.gender;
    shown.participant.born_abroad = Participant{}.born_abroad;
    shown.sensitive_fields_redacted = true;
  }
  return shown;
}

}  // namespace

void UpsertParticipant(Context& context, const Caller& caller,
                       ParticipantDraft draft, WriteDone<Participant> done) {
  if (absl::Status s = CheckRole(caller, {Role::kCoach}, kUpsertCall); !s.ok())
    return std::move(done)(s);
  absl::StatusOr<Participant> checked =
      Checked(context, caller, std::move(draft));
  if (!checked.ok()) return std::move(done)(checked.status());
  SubmitWrite<Participant>(
      context,
      [&context, caller, participant = *std::move(checked)](
          WorkingSnapshot& working) mutable -> absl::StatusOr<Participant> {
        std::shared_ptr<const Snapshot> current = working.Current();
        const Participant* before = nullptr;
        if (std::optional<int> existing =
                current->FindParticipant(participant.id)) {
          before = &current->participant(*existing);
          if (absl::Status s = CheckCaseload(caller, participant.id, before);
              !s.ok()) {
            return s;
          }
        }
        // Unset, the entry date is kept, or is today for a new participant.
        if (!participant.entry_date) {
          participant.entry_date = before != nullptr && before->entry_date
                                       ? before->entry_date
                                       : SwedishDate(context.now());
        }
        if (absl::Status s =
                Save(context, caller, participant, before, working);
            !s.ok()) {
          return s;
        }
        if (absl::Status s = Log(context, caller, kUpsertCall, participant.id);
            !s.ok()) {
          return s;
        }
        return participant;
      },
      std::move(done));
}

absl::StatusOr<Participant> UpsertParticipant(Context& context,
                                              const Caller& caller,
                                              ParticipantDraft draft) {
  return Await<Participant>([&](WriteDone<Participant> done) {
    UpsertParticipant(context, caller, std::move(draft), std::move(done));
  });
}

void UpdateParticipant(Context& context, const Caller& caller,
                       absl::string_view participant_id,
                       ParticipantChange change, WriteDone<Participant> done) {
  if (absl::Status s = CheckRole(caller, {Role::kCoach}, kUpdateCall); !s.ok())
    return std::move(done)(s);
  SubmitWrite<Participant>(
      context,
      [&context, caller, id = std::string(participant_id),
       change = std::move(change)](
          WorkingSnapshot& working) mutable -> absl::StatusOr<Participant> {
        std::shared_ptr<const Snapshot> current = working.Current();
        absl::StatusOr<const Participant*> stored =
            ParticipantForCaller(*current, caller, id);
        if (!stored.ok()) return stored.status();
        absl::StatusOr<ParticipantDraft> changed = change(**stored);
        if (!changed.ok()) return changed.status();
        absl::StatusOr<Participant> checked =
            Checked(context, caller, *std::move(changed));
        if (!checked.ok()) return checked.status();
        Participant participant = *std::move(checked);
        participant.updated_at = (*stored)->updated_at;  // the server's
        if (!participant.entry_date) {
          participant.entry_date = (*stored)->entry_date;
        }
        if (participant != **stored) {
          if (absl::Status s =
                  Save(context, caller, participant, *stored, working);
              !s.ok()) {
            return s;
          }
        }
        if (absl::Status s = Log(context, caller, kUpdateCall, participant.id);
            !s.ok()) {
          return s;
        }
        return participant;
      },
      std::move(done));
}

absl::StatusOr<Participant> UpdateParticipant(Context& context,
                                              const Caller& caller,
                                              absl::string_view participant_id,
                                              ParticipantChange change) {
  return Await<Participant>([&](WriteDone<Participant> done) {
    UpdateParticipant(context, caller, participant_id, std::move(change),
                      std::move(done));
  });
}

absl::StatusOr<ParticipantRead> GetParticipant(
    Context& context, const Caller& caller, absl::string_view participant_id) {
  if (absl::Status s =
          CheckRole(caller, {Role::kCoach, Role::kAdmin}, kGetCall);
      !s.ok()) {
    return s;
  }
  std::shared_ptr<const Snapshot> snapshot = context.snapshots->Current();
  absl::StatusOr<const Participant*> found =
      ParticipantForCaller(*snapshot, caller, participant_id);
  if (!found.ok()) return found.status();
  return ParticipantRead{
      .participant = ShownTo(caller, **found),
      .access = AccessRecords(context, caller, kGetCall, {(*found)->id}),
  };
}

absl::StatusOr<ParticipantPage> ListParticipants(
    Context& context, const Caller& caller, const ParticipantQuery& query) {
  if (absl::Status s =
          CheckRole(caller, {Role::kCoach, Role::kAdmin}, kListCall);
      !s.ok()) {
    return s;
  }
  if (query.page_size < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("page.page_size: ", query.page_size, " is below 1"));
  }
  // A coach lists their own caseload: empty coach_id means it, and naming
  // another coach is refused rather than quietly ignored.
  if (caller.role == Role::kCoach && !query.coach_id.empty() &&
      query.coach_id != caller.principal) {
    return absl::PermissionDeniedError(
        absl::StrCat("coach_id: ", QuoteValue(query.coach_id),
                     " is not you; a coach lists only their own caseload"));
  }
  const std::string& coach =
      caller.role == Role::kCoach ? caller.principal : query.coach_id;
  const std::vector<ParticipantStatus>& statuses = query.statuses;
  std::shared_ptr<const Snapshot> snapshot = context.snapshots->Current();
  ParticipantPage page;
  std::vector<std::string> ids;
  // Page tokens are the last id of the previous page.
  for (int index :
       snapshot->ParticipantIndicesAfter(query.page_token, /*limit=*/-1)) {
    const Participant& p = snapshot->participant(index);
    if (!coach.empty() && p.coach_id != coach) continue;
    if (!statuses.empty() && std::find(statuses.begin(), statuses.end(),
                                       p.status) == statuses.end()) {
      continue;
    }
    if (static_cast<int>(page.participants.size()) == query.page_size) {
      page.next_page_token = ids.back();
      break;
    }
    page.participants.push_back(ShownTo(caller, p));
    ids.push_back(p.id);
  }
  page.access = AccessRecords(context, caller, kListCall, ids);
  return page;
}

void EraseParticipant(Context& context, const Caller& caller,
                      absl::string_view participant_id,
                      WriteDone<store::ErasureCounts> done) {
  if (absl::Status s = CheckRole(caller, {Role::kAdmin}, kEraseCall); !s.ok())
    return std::move(done)(s);
  if (participant_id.empty()) {
    return std::move(done)(
        absl::InvalidArgumentError("participant_id: required"));
  }
  // Alone: the erasure checkpoints the WAL, which needs no transaction open.
  SubmitWrite<store::ErasureCounts>(
      context,
      [&context, caller, id = std::string(participant_id)](
          WorkingSnapshot& working) -> absl::StatusOr<store::ErasureCounts> {
        absl::StatusOr<store::ErasureCounts> counts =
            context.store->EraseParticipant(id);
        if (!counts.ok()) return counts.status();
        working.Update([&](const std::shared_ptr<const Snapshot>& snapshot) {
          std::shared_ptr<const Snapshot> updated =
              snapshot->WithoutParticipant(id);
          for (const Opening& opening : counts->released_openings) {
            updated = updated->WithOpening(opening);
          }
          return updated;
        });
        // The log records that an erasure happened, never whom it concerned.
        // The erasure is stored whatever happens to this record: the call
        // then fails, and a retry finds the id gone (NOT_FOUND).
        if (absl::Status s = Log(context, caller, kEraseCall, "erased");
            !s.ok()) {
          return s;
        }
        return counts;
      },
      std::move(done), /*alone=*/true);
}

absl::StatusOr<store::ErasureCounts> EraseParticipant(
    Context& context, const Caller& caller, absl::string_view participant_id) {
  return Await<store::ErasureCounts>([&](WriteDone<store::ErasureCounts> done) {
    EraseParticipant(context, caller, participant_id, std::move(done));
  });
}

}  // namespace placement::app
