"""Rebuild tests/devset/dev.yaml: provision texts cut from the seeds + the hand-made gold below.

The gold (amounts as [value, kind] — value in yuan, or the ratio for ratio/fraction — and agencies as
[canonical name, role]) was annotated by reading the seed text, not by running the extractor.
Run: python tests/devset/build_devset.py
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "data" / "corpus"

K, F, N, G, O, D = "青岛市科学技术局", "青岛市发展和改革委员会", "青岛市工业和信息化局", "青岛市财政局", "青岛市教育局", "中共青岛市委组织部"
R, S, J, W, H = "青岛市人力资源和社会保障局", "青岛市商务局", "青岛市民营经济发展局", "青岛市市场监督管理局", "各区（市）人民政府"
JR, JG, ZB = "中共青岛市委金融委员会办公室", "中国人民银行青岛市分行", "国家金融监督管理总局青岛监管局"
M = 10_000


def resp(*names):
    return [[n, "responsible"] for n in names]


# 000: the 28 numbered measures + the 总体要求 paragraph and the 组织保障 paragraph
GOLD_000 = {
    "总体要求": {"amounts": [[800 * 10**8, "target"], [1200 * 10**8, "target"]],
              "agencies": [["中华人民共和国科学技术部", "mentioned"]]},
    "1": {"amounts": [[500 * M, "cap"], [1000 * M, "cap"]], "agencies": resp(K, N, "青岛市农业农村局")},
    "2": {"amounts": [[500 * M, "cap"], [1000 * M, "cap"]], "agencies": resp(K, F, N)},
    "3": {"amounts": [[500 * M, "cap"], [100 * M, "cap"]], "agencies": resp(K, F)},
    "4": {"amounts": [[500 * M, "cap"], [1000 * M, "cap"]], "agencies": resp(K, N, "青岛市海洋发展局")},
    "5": {"amounts": [[1000 * M, "cap"], [300 * M, "cap"], [100 * M, "cap"], [50 * M, "cap"]],
          "agencies": resp(K, "青岛海洋科技中心")},
    "6": {"amounts": [[200 * M, "cap"], [1000 * M, "cap"]], "agencies": resp(K, N, F)},
    "7": {"amounts": [[50 * M, "cap"]], "agencies": resp(K)},
    "8": {"amounts": [], "agencies": resp(F, K)},
    "9": {"amounts": [], "agencies": resp(K)},
    "10": {"amounts": [[50 * M, "cap"]], "agencies": resp(K, N, O, D)},
    "11": {"amounts": [[2000 * M, "cap"], [200 * M, "cap"]], "agencies": resp(K, N)},
    "12": {"amounts": [[200 * M, "cap"], [200 * M, "cap"]], "agencies": resp(K, F)},
    "13": {"amounts": [], "agencies": resp(K, N)},
    "14": {"amounts": [[100 * M, "cap"], [10 * M, "cap"], [5 * M, "cap"]], "agencies": resp(K, J, N)},
    "15": {"amounts": [], "agencies": resp("青岛市人民政府国有资产监督管理委员会", F, J, N, K)},
    "16": {"amounts": [[500 * M, "cap"], [50 * M, "cap"], [30 * M, "cap"], [20 * M, "cap"], [0.5, "ratio"],
                       [50 * M, "cap"]],
           "agencies": [["中华人民共和国科学技术部", "mentioned"]] + resp(K, S)},
    "17": {"amounts": [[50 * M, "cap"]], "agencies": resp(K)},
    "18": {"amounts": [], "agencies": resp(K, S)},
    "19": {"amounts": [], "agencies": resp(K, R, O, "青岛市住房和城乡建设局", "青岛市文化和旅游局", D, "共青团青岛市委员会")},
    "20": {"amounts": [], "agencies": resp(R, D, K, O)},
    "21": {"amounts": [], "agencies": resp(D, R, K, O)},
    "22": {"amounts": [[1000 * M, "cap"]], "agencies": resp(K, G)},
    "23": {"amounts": [[500 * M, "cap"], [0.5, "ratio"], [20 * M, "annual_cap"]], "agencies": resp(K)},
    "24": {"amounts": [[0.1, "ratio"], [30 * M, "cap"], [50 * M, "cap"]], "agencies": resp(K, F, G, W, JR, JG, ZB)},
    "25": {"amounts": [[100 * M, "cap"]], "agencies": resp(K, G)},
    "26": {"amounts": [], "agencies": resp(W, "青岛市司法局", "青岛市中级人民法院", "青岛仲裁委员会办公室")},
    "27": {"amounts": [], "agencies": resp(K, O)},
    "28": {"amounts": [], "agencies": resp(K, "青岛市科学技术协会")},
    "组织保障": {"amounts": [], "agencies": [["中共青岛市委科技委员会", "mentioned"], [H, "mentioned"]]},
}

# 004: (first line, last line, gold); lines are 1-based lines of the seed file
GOLD_004 = [
    (2267, 2269, {"amounts": [[5000 * M, "threshold"], [0.1, "ratio"], [150 * M, "cap"], [10**8, "threshold"],
                              [0.1, "ratio"], [200 * M, "cap"], [10**9, "threshold"], [0.1, "ratio"],
                              [200 * M, "cap"], [10**9, "threshold"], [500 * M, "fixed"]],
                  "agencies": resp(K, G, H)}),
    (2273, 2273, {"amounts": [[1000 * M, "threshold"], [0.05, "ratio"], [500 * M, "cap"], [30 * M, "fixed"],
                              [5000 * M, "threshold"]],
                  "agencies": resp(K, N, S, J)}),
    (2277, 2279, {"amounts": [[30 * M, "fixed"]], "agencies": resp(F, K, N, "青岛市住房和城乡建设局")}),
    (2283, 2283, {"amounts": [[1000 * M, "cap"], [300 * M, "cap"], [200 * M, "cap"], [1000 * M, "cap"]],
                  "agencies": resp(K, O, "青岛市卫生健康委员会")}),
    (2287, 2289, {"amounts": [], "agencies": resp(K, F, G, JR, JG, ZB)}),
    (2293, 2293, {"amounts": [], "agencies": resp(F, K, N, R, G, S, "青岛市自然资源和规划局",
                                                  "青岛市人民政府国有资产监督管理委员会")}),
    (2297, 2299, {"amounts": [], "agencies": resp(K, R)}),
    (2301, 2301, {"amounts": [], "agencies": [[K, "interpreting"]]}),
    (1026, 1026, {"amounts": [[500 * M, "cap"], [50 * M, "cap"]],
                  "agencies": resp(K, G, H, "青岛高新技术产业开发区管理委员会", "青岛蓝谷管理局")}),
    (2133, 2133, {"amounts": [], "agencies": [[K, "mentioned"]]}),
    (2139, 2139, {"amounts": [[0.5, "ratio"], [500 * M, "cap"]], "agencies": []}),
    (2225, 2225, {"amounts": [[1 / 3, "fraction"], [1000 * M, "cap"]], "agencies": []}),
    (2227, 2227, {"amounts": [], "agencies": []}),
    (2537, 2537, {"amounts": [], "agencies": [[K, "interpreting"], [G, "interpreting"], [JG, "interpreting"],
                                              [ZB, "interpreting"]]}),
]

ZJ = "中国证券监督管理委员会青岛监管局"
# Held out: annotated from the text of 004's 科技财政金融 measures (lines 2318-2366) BEFORE the extractor
# was run on them. Scored separately (tests/test_extract_score.py). First (blind) score: amounts
# value+kind P 0.857 R 0.783, agencies P 0.961 R 1.000; it then prompted three general rules (每年累计…最高
# = annual cap, 及以下/部分 = threshold, 以…的X% and asides with commas for ratios). The two agency "false
# positives" (国务院、省政府 in 为落实国务院、省政府关于…) are arguably gold misses, left as annotated.
HELDOUT_004 = [
    (2318, 2318, {"amounts": [], "agencies": []}),
    (2322, 2322, {"amounts": [[1000 * M, "cap"]], "agencies": resp(K, G)}),
    (2324, 2326, {"amounts": [], "agencies": resp(K, G)}),
    (2328, 2328, {"amounts": [[0.1, "ratio"], [0.01, "ratio"], [100 * M, "cap"], [1000 * M, "annual_cap"]],
                  "agencies": resp(JR, G, ZJ)}),
    (2330, 2330, {"amounts": [[10**8, "threshold"], [1000 * M, "cap"]], "agencies": resp(JR, G, ZJ)}),
    (2332, 2334, {"amounts": [], "agencies": resp(K, JR, G, JG, ZB, ZJ)}),
    (2338, 2340, {"amounts": [[1000 * M, "threshold"], [0.5, "ratio"], [30 * M, "cap"]],
                  "agencies": [["中华人民共和国科学技术部", "mentioned"]] + resp(K, G, JG, ZB)}),
    (2342, 2344, {"amounts": [[0.01, "ratio"], [0.005, "ratio"], [10 * M, "cap"]], "agencies": resp(K, G, JR, JG, ZB)}),
    (2346, 2346, {"amounts": [[500 * M, "threshold"], [1000 * M, "threshold"], [0.5, "ratio"]],
                  "agencies": resp(K, G, JG, ZB)}),
    (2350, 2350, {"amounts": [], "agencies": resp(K, ZB)}),
    (2352, 2354, {"amounts": [[0.5, "ratio"], [0.3, "ratio"], [10 * M, "cap"], [0.01, "ratio"], [0.005, "ratio"],
                              [10 * M, "cap"]], "agencies": resp(K, G, JG, ZB)}),
    (2358, 2358, {"amounts": [[50 * M, "cap"]], "agencies": resp(K, JR, G, JG, ZB, ZJ)}),
    (2360, 2364, {"amounts": [], "agencies": resp(K, JR, G, JG, H)}),
    (2366, 2366, {"amounts": [], "agencies": resp(K, JG)}),
]

# Second blind set (004 lines 2499-2715, 贷款贴息 and 投（保）贷 rules), annotated after the fixes that
# the first held-out set prompted. First (blind) score: amounts P 1.000 R 0.778 (7/9: two LPR ratios more
# than 18 characters after 按照 were missed; the window is now 30), agencies P 1.000 R 1.000.
HELDOUT2_004 = [
    (2499, 2499, {"amounts": [[1000 * M, "threshold"]], "agencies": []}),
    (2501, 2501, {"amounts": [[0.5, "ratio"]], "agencies": []}),
    (2559, 2559, {"amounts": [], "agencies": []}),
    (2579, 2581, {"amounts": [[500 * M, "threshold"], [1000 * M, "threshold"], [0.5, "ratio"], [1000 * M, "threshold"],
                              [0.01, "ratio"], [0.005, "ratio"], [10 * M, "cap"]],
                  "agencies": [[K, "mentioned"], [G, "mentioned"]]}),
    (2715, 2715, {"amounts": [], "agencies": [[K, "interpreting"], [G, "interpreting"], [JR, "interpreting"],
                                              [JG, "interpreting"], [ZB, "interpreting"]]}),
]


def _seed(prefix: str) -> list[str]:
    return next(CORPUS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8").splitlines()


def cases_000() -> list[dict]:
    lines = _seed("000")
    body = "".join(x.strip() for x in lines)
    out = []
    for key, gold in GOLD_000.items():
        if key.isdigit():
            m = re.search(rf"(?<![\d.]){key}\.(?=[\u4e00-\u9fa5])(.+?)(?:（责任单\s*位：.+?）)", body)
            text = body[m.start():m.end()]
        elif key == "总体要求":
            text = re.search(r"以习近平.+?位次前移。", body).group()
        else:
            text = re.search(r"健全市委科技委员会.+?政策有效落实。", body).group()
        out.append({"id": f"000/{key}", "text": text, **gold})
    return out


def cases_004(gold_cases=GOLD_004, prefix: str = "004") -> list[dict]:
    lines = _seed("004")
    out = []
    for first, last, gold in gold_cases:
        text = "".join(x.strip() for x in lines[first - 1:last])
        out.append({"id": f"{prefix}/L{first}", "line": first, "text": text, **gold})
    return out


if __name__ == "__main__":
    data = {"cases": cases_000() + cases_004(), "heldout": cases_004(HELDOUT_004, "004h") + cases_004(HELDOUT2_004, "004b")}
    out = Path(__file__).with_name("dev.yaml")
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
    print(f"{len(data['cases'])} cases + {len(data['heldout'])} held out -> {out}")
