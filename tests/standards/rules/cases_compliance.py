"""A passing and a failing case for every compliance check (C01 …)."""

from standards.rules import Severity

from .cases_crossfield import charged
from .edit import DRUG, FOOD, Edit, Fails, Passes, unchanged

ADVISORY = Severity.ADVISORY


def whole_law(e: Edit, key: str) -> Edit:
    """Turn a legal-basis row of the sample into a whole-law citation."""
    return e.change("legal_basis", key, {"E02.08": "全文"})


def extra_basis(e: Edit) -> Edit:
    return e.add(
        "legal_basis",
        "lb-uncited",
        {
            "E02.01": "2",
            "E02.02": "《广东省食品安全条例》",
            "E02.03": "3",
            "E02.08": "第二十条",
            "E02.09": "第二十条 ……",
        },
    )


FAILS = [
    # C01 catch-all clauses
    Fails("C01", "a material called 其他需要提交的材料 is flagged on its row", FOOD,
          lambda e: e.change("material", "mat-vending-plan", {"E05.01": "其他需要提交的材料"}),
          ("E05.01",), ("material", "mat-vending-plan")),
    Fails("C01", "matters trailing off in 等 are flagged", FOOD,
          lambda e: e.set("E01.01", "从事食品销售、餐饮服务等。"), ("E01.01",)),
    Fails("C01", "a condition deferring to other laws is flagged", FOOD,
          lambda e: e.change("condition", "cond-premises",
                             {"E04.02": "具有经营场所；法律法规另有规定的，从其规定。"}),
          ("E04.02",), ("condition", "cond-premises")),
    Fails("C01", "a condition with another department's requirements is flagged", FOOD,
          lambda e: e.change("condition", "cond-premises",
                             {"E04.02": "符合消防等部门提出的其他要求。"}),
          ("E04.02",), ("condition", "cond-premises")),
    Fails("C01", "non-acceptance ending in 其他情形 is flagged", FOOD,
          lambda e: e.set("P03.07", "1. 不属于本机关职权范围的；\n2. 其他情形。"), ("P03.07",)),
    Fails("C01", "a process's own materials asking for 相关部门要求的其他材料 are flagged", FOOD,
          lambda e: e.change("other_process", "px-change", {"PX.08": "相关部门要求的其他材料"}),
          ("PX.08",), ("other_process", "px-change")),
    Fails("C01", "a process trigger ending in 等等 is flagged", FOOD,
          lambda e: e.change("other_process", "px-change", {"PX.05": "名称、法定代表人变更等等"}),
          ("PX.05",), ("other_process", "px-change")),
    Fails("C01", "denial criteria with 法律法规规定的其他情形 are flagged", FOOD,
          lambda e: e.change("link_benchmark", "pl-p05-decision",
                             {"PL.13": "提供虚假材料的；法律、法规规定的其他情形。"}),
          ("PL.13",), ("link_benchmark", "pl-p05-decision")),
    # C02 setting basis issuer
    Fails("C02", "a city government rule setting a licence blocks", FOOD,
          lambda e: e.change("legal_basis", "lb-fsl-35",
                             {"E02.03": "5", "E02.05": "佛山市人民政府"}),
          ("E02.03", "E02.05"), ("legal_basis", "lb-fsl-35")),
    Fails("C02", "a 'law' issued by a ministry is advisory", FOOD,
          lambda e: e.change("legal_basis", "lb-fsl-35", {"E02.05": "国家市场监督管理总局"}),
          ("E02.03", "E02.05"), ("legal_basis", "lb-fsl-35"), ADVISORY),
    # C03 catalogue
    Fails("C03", "an item type other than the catalogue's is flagged", FOOD,
          lambda e: e.set("B00.04", "20"), ("B00.04",)),
    # C04–C06 article-level citations
    Fails("C04", "a condition without a basis is flagged", FOOD,
          lambda e: e.change("condition", "cond-subject", {"E04.03": []}),
          ("E04.03",), ("condition", "cond-subject")),
    Fails("C04", "a condition citing a whole law is flagged", FOOD,
          lambda e: whole_law(e, "lb-measures-10-12"), ("E04.03",), ("condition", "cond-subject")),
    Fails("C05", "a material without a basis is flagged", FOOD,
          lambda e: e.change("material", "mat-application-form", {"E05.18": []}),
          ("E05.18",), ("material", "mat-application-form")),
    Fails("C05", "a material citing a whole law is flagged", FOOD,
          lambda e: whole_law(e, "lb-measures-13"), ("E05.18",),
          ("material", "mat-application-form")),
    Fails("C06", "a statutory limit citing a whole law is flagged", FOOD,
          lambda e: whole_law(e, "lb-measures-18-20"), ("E06.04",)),
    Fails("C06", "denial criteria citing a whole law are flagged on the link", FOOD,
          lambda e: whole_law(e, "lb-measures-18-20"), ("PL.14",),
          ("link_benchmark", "pl-p04-site-inspection")),
    Fails("C06", "a fee citing a whole law is flagged on the fee", FOOD,
          lambda e: whole_law(charged(e), "lb-fsl-35"), ("E08.05",), ("fee_item", "fee-cert")),
    # C07–C09 duplicated or unnecessary certificates
    Fails("C07", "the same material as original and copy blocks", FOOD,
          lambda e: e.add("material", "mat-licence-copy",
                          {"E05.01": "营业执照复印件", "E05.26": ["P02"]})
          .change("material", "mat-subject-licence", {"E05.01": "营业执照"}),
          ("E05.01",), ("material", "mat-licence-copy")),
    Fails("C07", "a material differing only by 有效的 is advisory", FOOD,
          lambda e: e.add("material", "mat-licence-again",
                          {"E05.01": "有效的营业执照", "E05.26": ["P02"]})
          .change("material", "mat-subject-licence", {"E05.01": "营业执照"}),
          ("E05.01",), ("material", "mat-licence-again"), ADVISORY),
    Fails("C08", "two materials proving the same condition are advisory", FOOD, unchanged,
          ("E05.01", "E04.08"), ("material", "mat-agent-identity"), ADVISORY),
    Fails("C09", "a government certificate the applicant must bring is advisory", DRUG,
          lambda e: e.change("material", "mat-pharmacist-cert", {"E05.19": False}),
          ("E05.19", "E05.05"), ("material", "mat-pharmacist-cert"), ADVISORY),
    # C10 uncited bases
    Fails("C10", "a legal basis nothing cites is advisory", FOOD, extra_basis,
          ("E02.02",), ("legal_basis", "lb-uncited"), ADVISORY),
    # C11 fee basis
    Fails("C11", "a fee resting on a departmental rule is flagged", FOOD,
          lambda e: charged(e, E08_05=[e.rid("legal_basis", "lb-measures-13")]),
          ("E08.05",), ("fee_item", "fee-cert")),
    # C12 FAQ
    Fails("C12", "a licensing item without FAQ is flagged", FOOD,
          lambda e: e.drop("faq"), ("E12.20",)),
]  # fmt: skip

PASSES = [
    Passes("C01", "the food sample has no catch-all clauses", FOOD),
    Passes("C01", "其他 inside a name and 等 inside a word are not catch-alls", DRUG,
           lambda e: e.set("E01.01", "药品零售企业按等级分类管理，含其他组织开办的药店。")),
    Passes("C02", "a law issued by the NPC Standing Committee passes", FOOD),
    Passes("C02", "a provincial government rule may set a licence", FOOD,
           lambda e: e.change("legal_basis", "lb-fsl-35",
                              {"E02.03": "5", "E02.05": "广东省人民政府"})),
    Passes("C03", "the catalogue's item type passes", FOOD),
    Passes("C04", "conditions citing articles pass", FOOD),
    Passes("C05", "materials citing articles pass", FOOD),
    Passes("C06", "time limits and denials citing articles pass", FOOD),
    Passes("C06", "a fee citing an article passes", FOOD, charged),
    Passes("C07", "distinct materials pass", FOOD),
    Passes("C07", "the same name in different processes passes", FOOD,
           lambda e: e.add("material", "mat-change-form",
                           {"E05.01": "食品经营许可申请书", "E05.26": ["P14"]})),
    Passes("C08", "materials proving different conditions pass", FOOD,
           lambda e: e.change("condition", "cond-agent",
                              {"E04.08": [e.rid("material", "mat-power-of-attorney")]})),
    Passes("C09", "a shared government certificate passes", DRUG),
    Passes("C10", "every basis cited passes", FOOD),
    Passes("C11", "a fee resting on a law passes", FOOD, charged),
    Passes("C12", "a licensing item with FAQ passes", FOOD),
    Passes("C12", "a public service needs no FAQ", FOOD,
           lambda e: e.drop("faq").set("B00.04", "20")),
]  # fmt: skip
