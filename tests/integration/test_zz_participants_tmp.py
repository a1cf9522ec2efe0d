import json
from tests.integration import sign_packages as packages

class ParticipantsOnly(packages.Healthy):
    name = "Eastvale (participants only)"
    def finish(self):
        used = set()
        for f, cols in (("roles.csv", ["person_id"]), ("group_members.csv", ["person_id"]),
                        ("coaching.csv", ["person_a", "person_b"]), ("trained.csv", ["trainer_id", "trainee_id"]),
                        ("attendance.csv", ["person_id"]), ("transfers.csv", ["carrier_person_id"])):
            for r in self.rows[f]:
                used.update(r[c] for c in cols)
        for r in self.rows["group_sessions.csv"]:
            used.update(r["attendees"].split(";"))
        before = len(self.rows["people.csv"])
        self.rows["people.csv"] = [r for r in self.rows["people.csv"] if r["person_id"] in used]
        self.rows["advice.csv"] = [r for r in self.rows["advice.csv"] if r["respondent_id"] in used and r["nominee_id"] in used]
        self.rows["responses.csv"] = [r for r in self.rows["responses.csv"] if r["respondent_id"] in used]
        print("people", before, "->", len(self.rows["people.csv"]))
        from collections import Counter
        print(Counter(r["school_id"] for r in self.rows["people.csv"]))

def test_participants(runner, tmp_path):
    b = ParticipantsOnly()
    folder = b.write(tmp_path / "p")
    r = runner.invoke(args=["import", str(folder)])
    assert r.exit_code == 0, r.output
    for at in ("2026-07-31", "2026-03-31", "2025-07-31"):
        doc = json.loads(runner.invoke(args=["signs", b.name, "--at", at, "--json"]).output)
        for f in doc["signs"]:
            print(at, f["id"], f["severity"], f["explanation"][:300])

def _share(runner, b, tmp_path, tag):
    from tracker.extensions import graph
    from tracker.graph.snapshot import load_history
    from tracker.services import networks
    from tracker.signs import evidence as ev
    folder = b.write(tmp_path / tag)
    runner.invoke(args=["import", str(folder)])
    with runner.app.app_context():
        h = load_history(graph.store, networks.resolve(b.name)["uid"])
        for at in ("2024-12-20", "2025-03-31", "2025-07-31", "2025-12-20", "2026-03-31", "2026-07-31"):
            s = h.at(at)
            staff = [p.uid for p in s.people if p.school_uid and ev.is_staff(p.layer)]
            part = ev.takes_part(s)
            print(tag, at, round(sum(u in part for u in staff) / len(staff), 3), len(staff))

def test_shares(runner, tmp_path):
    _share(runner, packages.Healthy(), tmp_path, "full")
    _share(runner, ParticipantsOnly(), tmp_path, "partial")
    _share(runner, packages.Overload(), tmp_path, "overload")
