import math
from tests.integration import sign_packages as packages

def test_margins(runner, tmp_path):
    from tracker.extensions import graph
    from tracker.graph.snapshot import load_history
    from tracker.services import networks
    from tracker.signs import evidence as ev, period, cosy, dominance, head_dependence, fragile_broker, low_connectedness, layer_dislocation
    from tracker.signs import DEFAULT_THRESHOLDS as D
    from tracker.analysis import metrics, participation
    name, folder = packages.build("healthy", tmp_path / "h")
    runner.invoke(args=["import", str(folder)])
    with runner.app.app_context():
        uid = networks.resolve(name)["uid"]
        h = load_history(graph.store, uid)
        for at in ("2026-07-31", "2026-03-31", "2025-07-31"):
            s = h.at(at)
            since3 = period.since(s, 3); since2 = period.since(s, 2)
            c = cosy._concentration(s, since3, D["cosy"]); p = cosy._pair(s, since3, D["cosy"]); o = cosy._overlap(s, 0.6)
            print(at, "cosy top share", c and c["share"], "participants", c and c["participants"], "pair", p and p["share"], "jaccard", o and o["mean_jaccard"])
            g = ev.school_graph(s, since3)
            print("  centralisation", round(metrics.degree_centralisation(g, "all"), 3))
            adv = ev.advice_graph(s)
            if adv.ecount():
                lay = adv.vs["layer"]; sen = sum(lay[b] == "senior" for _, b in adv.get_edgelist())
                print("  senior share", round(sen / adv.ecount(), 3), "advice ties", adv.ecount(), "advice E-I", round(metrics.ei_index(adv, "school"), 3))
            t = ev.tie_graph(s, since2)
            print("  tie E-I", round(metrics.ei_index(t, "school"), 3))
            act = [a for a in s.activities if period.in_window(a.date, since3, s.at)]
            from collections import Counter
            print("  hosts", Counter(a.host_school_uid[-4:] for a in act).most_common(2), len(act))
            print("  roles by school", Counter((s.school_of(r.person_uid) or "")[-4:] for r in s.roles).most_common(2), len(s.roles))
            print("  terms", [(r["term"], r["events"]) for r in participation.activity_by_term(s)])
