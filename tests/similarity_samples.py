"""Hand-written answers to exercise set 00, for the similarity tests and benchmark.

Four students who each solved every question their own way (all correct), and written answers
to q5 written independently. Shared by tests/test_grader_similarity.py and
benchmarks/similarity.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "exercises" / "00-the-dataset.md"

HONEST_CODE: list[dict[str, str]] = [
    {
        "q1": 'n_minilateral = len(forum_table[forum_table.kind == "minilateral"])',
        "q2": ('forum = params["forum"]\n'
               'row = forum_table[forum_table.forum_id == forum]\n'
               'year = int(row.founded_year.values[0])\n'
               'founding_members = sorted(members(forum, year))'),
        "q3": ('mini = forum_table.query("kind == \'minilateral\'").copy()\n'
               'mini["decade"] = mini.founded_year - mini.founded_year % 10\n'
               'counts = mini.decade.value_counts().sort_index()\n'
               'founded_per_decade = pd.DataFrame({"decade": counts.index,\n'
               '                                   "minilaterals": counts.values})'),
        "q4": ('decade_chart = (\n    alt.Chart(founded_per_decade)\n    .mark_bar()\n'
               '    .encode(x=alt.X("decade:O"), y=alt.Y("minilaterals:Q"))\n)'),
    },
    {
        "q1": ('count = 0\nfor kind in forum_table["kind"]:\n    if kind == "minilateral":\n'
               '        count += 1\nn_minilateral = count'),
        "q2": ('forum = params["forum"]\n'
               'founded = forum_table.set_index("forum_id").at[forum, "founded_year"]\n'
               'founding_members = list(sorted(members(forum, int(founded))))'),
        "q3": ('rows = {}\nfor _, forum_row in forum_table.iterrows():\n'
               '    if forum_row["kind"] != "minilateral":\n        continue\n'
               '    decade = (forum_row["founded_year"] // 10) * 10\n'
               '    rows[decade] = rows.get(decade, 0) + 1\n'
               'founded_per_decade = pd.DataFrame(sorted(rows.items()),\n'
               '                                  columns=["decade", "minilaterals"])'),
        "q4": ('bars = alt.Chart(founded_per_decade).mark_bar()\n'
               'decade_chart = bars.encode(alt.X("decade", type="ordinal"), '
               'alt.Y("minilaterals", type="quantitative"))'),
    },
    {
        "q1": 'n_minilateral = forum_table["kind"].value_counts()["minilateral"].item()',
        "q2": ('forum = params["forum"]\n'
               'year_founded = forum_table.loc[forum_table["forum_id"].eq(forum)]'
               '["founded_year"].min()\n'
               'founding_members = sorted(set(members(forum, int(year_founded))))'),
        "q3": ('is_mini = forum_table["kind"].eq("minilateral")\n'
               'decades = (forum_table.loc[is_mini, "founded_year"] // 10 * 10).rename("decade")\n'
               'founded_per_decade = decades.groupby(decades).count()'
               '.rename("minilaterals").reset_index()'),
        "q4": 'decade_chart = alt.Chart(founded_per_decade).mark_bar().encode(\n'
              '    x=alt.X("decade:O", title="Decade"), y="minilaterals:Q")',
    },
    {
        "q1": 'kinds = forum_table["kind"].tolist()\nn_minilateral = kinds.count("minilateral")',
        "q2": ('forum = params["forum"]\n'
               'matches = [y for f, y in zip(forum_table["forum_id"], '
               'forum_table["founded_year"]) if f == forum]\n'
               'first_year = int(matches[0])\n'
               'founding_members = sorted(m for m in members(forum, first_year))'),
        "q3": ('table = forum_table[forum_table["kind"].isin(["minilateral"])]\n'
               'table = table.assign(decade=table["founded_year"].floordiv(10).mul(10))\n'
               'founded_per_decade = (table.pivot_table(index="decade", values="forum_id",\n'
               '                                        aggfunc="count")\n'
               '                      .reset_index()\n'
               '                      .set_axis(["decade", "minilaterals"], axis=1))'),
        "q4": ('chart = alt.Chart(founded_per_decade)\n'
               'decade_chart = chart.mark_bar(color="steelblue").encode(\n'
               '    x="decade:O",\n    y="minilaterals:Q",\n    tooltip=["decade", "minilaterals"],\n)'),
    },
]

HONEST_WRITTEN = [
    "Most minilateral forums in the table were founded after 1990: the bars for the 1990s, "
    "2000s and 2010s are much taller than those before. The reading explains this by gridlock "
    "in universal organisations, where consensus among almost two hundred states is slow, so "
    "governments turned to small clubs of like-minded partners. A limitation is that a count "
    "treats a tiny dialogue and a powerful club as equal.",
    "The table shows only a handful of minilaterals before the end of the Cold War and a steep "
    "climb afterwards, peaking in the 2000s. Naim's argument about the magic number suggests "
    "why: a few states with most of the power can bargain faster than everyone at once. "
    "Counting foundings hides forums that died quietly or never met, and the founding year "
    "itself can be disputed between sources.",
    "Foundings of small groupings accelerate from the nineties onward; earlier decades have "
    "one or two each. According to the course, states create these bodies when large "
    "organisations deadlock and transaction costs rise with membership. Yet the number of "
    "forums tells us nothing about whether they matter, how often they meet or what they "
    "achieve, so the trend might overstate the shift.",
    "I see a clear upward trend: the 2010s have the most new minilateral forums. Drezner and "
    "others in the reading point to power shifts that made old institutions less useful to "
    "rising countries, who then built their own clubs such as BRICS. One weakness of this "
    "method is that the coding of what counts as minilateral is a judgement call, and "
    "different coders could reach different totals.",
]


def notebook_with(blank: dict[str, Any], code: dict[str, str], written: str = "",
                  extra: str = "") -> dict[str, Any]:
    """The blank release notebook with the given answers filled in (and an extra code cell)."""
    notebook = json.loads(json.dumps(blank))
    for cell in notebook["cells"]:
        for tag in cell["metadata"].get("tags", []):
            question = tag.removeprefix("answer-") if tag.startswith("answer-") else None
            if question in code:
                cell["source"] = code[question]
            elif question and cell["cell_type"] == "markdown" and written:
                cell["source"] = written
    if extra:
        notebook["cells"].append({"cell_type": "code", "id": "extra", "metadata": {},
                                  "source": extra, "outputs": [], "execution_count": None})
    return notebook
