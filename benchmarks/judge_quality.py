"""How well the pair gates gate: judges' precision/recall against hand labels, proxy rates.

    python benchmarks/judge_quality.py            # ~2.5 minutes on 2 shared cores
    python benchmarks/judge_quality.py --write-read FILE  # also writes the next read's sample

1. Converts the development documents (benchmarks/devset/pairs/documents/{tune,heldout}) and
   ../shared/corpus with the pipeline's converter, chunks and triages them as the chunks asset
   does, and finds each document's subject.
2. Judges the hand-labelled pairs of `labels.jsonl` (pairs the offline generator wrote before
   the gates existed; good = faithful, answering, standalone and useful) with
   - the offline lexical judge (with the shared pair checks),
   - the LLM judge through the loopback server playing a reasonable judge (its default: word
     coverage of the source) plus the same deterministic checks: weak evidence, it measures the
     deterministic layer under a plausible judge, not a real model;
   and prints precision and recall of "passed" against "good" (and the labels' baseline: the
   lexical judge before this work).
3. Generates and judges pairs offline for every document and prints, over accepted pairs, the
   proxy rates (data-value-as-header, fragment answers, junk template slots, repeated
   questions; counted by the checks' own detectors, so they show what slips past the generator's
   own filtering, which should be 0) and accepted pairs per content chunk on the long documents.
4. Prints accepted pairs per content chunk of every held-out document, and the independent
   reads `heldout_read_<n>.jsonl` (random accepted pairs of a held-out batch, labelled by a
   reader after the gates were final); `--write-read FILE` writes the next such sample
   (seeded, 50 pairs with their chunk text) to FILE without printing it.
"""

from __future__ import annotations

import json
import random
import re
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sdg_pipeline.chunk import chunk_markdown  # noqa: E402
from sdg_pipeline.chunk.subject import document_subject  # noqa: E402
from sdg_pipeline.cli import main as cli_main  # noqa: E402
from sdg_pipeline.convert import media  # noqa: E402
from sdg_pipeline.convert.metadata import metadata_title  # noqa: E402
from sdg_pipeline.generate.offline import generate_pairs_offline  # noqa: E402
from sdg_pipeline.judge.lexical import judge_pairs_offline  # noqa: E402
from sdg_pipeline.judge.llm import judge_pairs_llm  # noqa: E402
from sdg_pipeline.judge.pair_checks import (  # noqa: E402
    data_value_header_issue,
    fragment_issue,
    junk_slot_issue,
    repeated_questions,
)
from sdg_pipeline.screen.triage import triage_document  # noqa: E402

DEVSET = ROOT / "benchmarks" / "devset" / "pairs"
CORPUS = ROOT.parent / "shared" / "corpus"
LONG = (
    "camelot__diesel_engines",
    "pdfplumber__federal-register-2020-17221",
    "unstructured__handbook-872p",
    "pdfminer__i1040nr",
    "pdfminer__dmca",
    # batch 4 (tune since its read)
    "unstructured__example-10k",
    "unstructured__pdf2image-memory-error-test-400p",
    "unstructured__failure-after-repair",
    "unstructured__multi-column",
    # batch 5 (tune since its read)
    "financebench__GENERALMILLS_2023_annualreport",
    "financebench__AMD_2022_annualreport",
    "financebench__COSTCO_2021_10K",
    "olmocr__instructions_and_schematics",
    "olmocr__ti89_guidebook_programming",
    "kreuzberg__xerox_alta_link_series_mfp_sag_en_us_2",
    "kreuzberg__5_level_paging_and_5_level_ept_intel_revision_1_1_may_2017",
    # batch 6 (tune since its read)
    "financebench__NETFLIX_2022_10K",
    "financebench__FEDEX_2023_annualreport",
    "financebench__MICROSOFT_2023_10K",
    "financebench__BOEING_2022_10K",
    "financebench__JOHNSON_JOHNSON_2022_10K",
    "PyMuPDF__mupdf_explored",
    "pypdf__GeoBase_NHNC1_Data_Model_UML_EN",
    # batch 7 (tune since its read)
    "financebench__APPLE_2022_10K",
    "financebench__CORNING_2021_10K",
    "financebench__LOCKHEEDMARTIN_2021_10K",
    "financebench__EBAY_2019_10K",
    "financebench__WALMART_2023_annualreport",
    "PyMuPDF__2",
    "PyMuPDF__cython",
    # batch 8 (tune since its read)
    "financebench__NIKE_2019_10K",
    "financebench__BESTBUY_2019_10K",
    "financebench__3M_2018_10K",
    "financebench__KRAFTHEINZ_2019_10K",
    "financebench__VERIZON_2019_10K",
    "pymupdf__joined",
    "kreuzberg__a_course_in_machine_learning_ciml_v0_9_all",
    # batch 9 (tune since its read)
    "financebench__PEPSICO_2022_10K",
    "financebench__PFIZER_2021_10K",
    "financebench__COCACOLA_2020_10K",
    "financebench__ORACLE_2023_10K",
    "financebench__MCDONALDS_2022_10K",
    "tika__testPDF_childAttachments",
    "pdfcpu__T4",
    # batch 10 (tune since its read)
    "financebench__ADOBE_2020_10K",
    "financebench__ACTIVISIONBLIZZARD_2019_10K",
    "financebench__CVSHEALTH_2021_10K",
    "financebench__BLOCK_2020_10K",
    "financebench__AMERICANWATERWORKS_2021_10K",
    "pdfcpu__itu-t81",
    "kreuzberg__crohns_disease",
    # batch 11 (tune since its read)
    "financebench__FOOTLOCKER_2023_10K",
    "financebench__PG_E_2021_10K",
    "financebench__MGMRESORTS_2019_10K",
    "financebench__SALESFORCE_2023_10K",
    "financebench__AMCOR_2023_10K",
    "format-corpus__316267",
    "format-corpus__027613",
    # batch 12 (tune since its read)
    "financebench__AES_2021_10K",
    "financebench__AMERICANEXPRESS_2022_10K",
    "financebench__BOSTONPROPERTIES_2015_10K",
    "financebench__INTEL_2020_10K",
    "financebench__PAYPAL_2023Q2_10Q",
    # batch 13 (tune since its read)
    "financebench__JPMORGAN_2022Q3_10Q",
    "financebench__JPMORGAN_2023Q1_10Q",
    "format-corpus__247224",
    "format-corpus__379049",
    # batch 14 (tune since its read)
    "multisource_rag__lyft_2021",
    "format-corpus__219789",
    "kreuzberg__world_war_ii",
    # batch 15 (tune since its read)
    "multisource_rag__uber_2021",
    "format-corpus__195981",
    "kreuzberg__birth_control",
    # batch 16 (tune since its read)
    "Financial-QA-agent__GOOG_2022_10K",
    "Financial-QA-agent__NVDA_2024_10K",
    "KG-RAG-datasets__2023_Q2_AMZN",
    "KG-RAG-datasets__2013-annual-performance-report",
    "readability__wikipedia-2_source",
    # batch 17 (tune since its read)
    "knowledge__wellsfargo-2022-annual-report",
    "knowledge__mercedes-benz-annual-report-2022-incl-combined-management-report-mbg-ag",
    "knowledge__Heineken-NV-Full-Year-press-release-02_15_2023",
    "jtag_docs__BCM2835-ARM-Peripherals",
    "jtag_docs__IHI0031C_debug_interface_as",
    # batch 18 (tune since its read)
    "ai-financial-rag__tesla",
    "gigacloud__10k",
    "jtag_docs__DS_FT2232H",
    "menhir__manual",
    # batch 19 (tune since its read)
    "knowledge__ofss-annual-report-2022-23",
    "knowledge__Tyson-Foods-FINAL-2Q23-Investor-Presentation",
    # batch 20 (tune since its read)
    "enterprise-rag-challenge__31a60b930e0f1034afff6e2d1e406e7d9141b2a1",
    "enterprise-rag-challenge__3696c1b29566acc1eafc704ee5737fb3ae6f3d1d",
    "enterprise-rag-challenge__c8af22dbedd95ee719273792e5964ab8bbba17b2",
    "enterprise-rag-challenge__da663e46fbf02ec8a90b3f3c1079ef4c9f7907e1",
    "enterprise-rag-challenge__ddd10e4612006205c4b1ba050a11648071e6e429",
    "KG-RAG-datasets__DOSAID2022",
    "KG-RAG-datasets__NCT06151600_Prot_000",
    "quandary__user_guide",
    # batch 21 (tune since its read)
    "hack-team-10__Cornerstone_report",
    "hack-team-10__LSF-UNAUDITED-FS-JUNE-2026",
    "hack-team-10__arkema-press-release-results-q2-2026",
    "prisonpal__policy",
    "wto-nlp-policy-analyzer__report",
    # batch 22 (tune since its read)
    "GenAI-Showcase__GM-2023",
    "GenAI-Showcase__Stellantis-NV-20240630-Semi-Annual-Report",
    "elasticsearch-labs__Elastic_NV_Annual-Report-Fiscal-Year-2023",
    "amazon-bedrock-samples__us-finance-report-2023-sample",
    # batch 23 (tune since its read): every file of 20 pages or more
    "yashugh-hackai-2025__ltimindtree_annual_report",
    "AI-CHATBOT-DISASTER-MANAGEMENT__handbook-4-evacuation-planning",
    "faspsolver__userguide",
    "DocuMind-AI__budget_speech",
    "guidance-sustainability-esg__Comparison_of_IFRS_and_ESRS_1and_2",
    "NFC-Module-PN532__datasheet",
    "IO_Expander-Code__datasheet",
    "ransfoil__UserGuide",
    # batch 24 (tune since its read): every file of 20 pages or more
    "rag_reports__spotify_2024_Q3_financials",
    "Finalyze__Nippon_Express",
    "gepace__scpi_manual",
    "mzPeak-specification__specification",
    "needl-submission__2008_03_IR_Book_en--2-",
    "insig_demo-multiple-financials__interims-2025",
    "rag-document-qa-system__infosys",
    "cpu6502__user_guide",
    # batch 25 (tune since its read): every file of 20 pages or more
    "adaptive-data-profiling-etl__annual_report",
    "ooh-media-chatbot__2025-Half-Year-Report",
    "novo-holdings-annual-report-2024__performance-report-2024",
    "sustainability-report-chat__sustainability-report_2014",
    "resources__datasheet_BMP280-pressure-sensor",
    "quad_ADSR_board__PM0214",
    "EBB__BIGTREETECH_EBB36_CAN_V1.1_User_Manual",
    "Clario-Health-Rag-System__doc_004",
    "Top10__OWASP_Top_10-2017_en",
    "RiscvEmulator__riscv-spec-v2.2",
    # batch 26 (tune since its read): every file of 20 pages or more
    "PTO_ICT3113_Grp11__2Q25_performance_summary",
    "Financial_Statement_Analysis_POC_Crewai__250728-2024-hsbc-annual-report-and-accounts-english",
    "user-manual-rag__user_manual",
    "universal-manual-rag-chat__Orbi_Whole_Home_Tri-Band",
    "IEA__Professional-Staff-H-to-L-IEA-December-2024-clean",
    "irish-insurance-rag__anti-money-laundering-and-countering-the-financing-of-terrorism-"
    "guidelines-for-the-financial-sector",
    "DRSS__2014_20c85e120f63ac0226_ldm6b2y8p",
    "modbus_rtu_slave__Modbus_Application_Protocol_V1_1b3",
    "dsi-msds-student-handbook__dsi_msds_handbook_2026",
    # batch 27 (tune since its read): every file of 20 pages or more
    "DeclareDesign__paper",
    "askari-life-assurance__Quarterly-March-21",
    "clicks_2018__Clicks_AFS_2018_online",
    "fpb-r9a02g021__user_manual",
    "med_chat__Kenya_HIV_Prevention_and_Treatment_Guidelines_2022",
    "megaworld__Definitive_Information_Statement_20_May_2022",
    "project-1__mcb-ar-201498d2",
    # batch 28 (tune since its read): every file of 20 pages or more
    "RAG-System-over-Semiconductor-Manuals-Datasheets__TPS61030",
    "RAG-from-Scratch-Employee-Handbook-Policy-Assistant__employee_handbook",
    "annual-reports-rag__e51b7204b91cbe7709bd3218e7d2d0c2b8dbb438",
    "finance_insight_lite__saudi-aramco-fy-2024-full-financials-english",
    "generalised_rag_v2__guidelines",
    "morumotto__user_guide",
    "travel-insurance-rag-chat-backend__blue_cross_policy",
    "unifi-pdf-llm__2022-Absa-Group-limited-Environmental-Social-and-Governance-Data-sheet",
    # batch 29 (tune since its read): every file of 20 pages or more
    "ESG-Report-Analyzer-NLP__IFRS-S1",
    "ESG-Report-Analyzer-NLP__commercial-banks-standard_en-gb",
    "Hybrid_Rag_Support_Bot__manual",
    "Nvidia10k-RAG__nvidia10k",
    "ONMD-OpenFlexure__PYONMD_User_Manual",
    "SparkFun_IoT_Brushless_Motor_Driver__TMC6300",
    "datasheets__MP-Spec_1.4",
    # batch 30 (tune since its read): every file of 20 pages or more
    "Finlens-AI__annual_report",
    "Langchain__2023-report-on-payments-to-government-update",
    "esg-report__PE-43-2024-INIT_en",
    "fujinet-manuals__fujinet-int-f5-technical-reference",
    "techDatasheets__uALFAT_Manual",
    # batch 31 (tune since its read): every file of 20 pages or more
    "Arduino-LM96163__datasheet",
    "RemoteLab__manual",
    "phoenix__protocol",
    "tekqagent__10k",
    "womens-rights-legal-assistant__Marriages_Act_2022_2",
    # batch 32 (tune since its read): every file of 20 pages or more
    "ComplianceAgent-__THE_DIGITAL_PERSONAL_DATA_PROTECTION_ACT_2023",
    "NPL-RPi-Tau2__manual",
    "esg-report-compliance-checker__2024_UK_HSBC_Datapack_EN",
    "esg-report-compliance-checker__2024_UK_SC_Index_EN",
    "local_rag_pure_python__constitution",
    "whisperpool-remote__datasheet",
    # batch 33 (tune since its read): every file of 20 pages or more
    "BQ24650-python-caltulator__sluu444a",
    "Hybrid-Inverter-Monitor__voltronic-inverter-protocol",
    "intel-8255-chip__datasheet",
    "testlink-code__testlink_user_manual",
    # batch 34 (tune since its read): every file of 20 pages or more
    "AML-MultiAgent-RAG__section8-1",
    "PyMonsoon__API",
    "RAG-Challenge-2__9d7a72445aba6860402c3acce75af02dc045f74d",
    "RAG-Challenge-2__e2b19d2cc2ccab2fd9022326b56b38fb0e772e73",
    "RAG_Challenge_Reproducibility__2779336b845a41544348abb7b3e6e5bd2ff893a2",
    "TFPM01__datasheet",
    "guide-ai__manual",
    "qa-streamlit-test__manual",
    # batch 35 (tune since its read): every file of 20 pages or more
    "NHS-Policy-RAG-System__type-2-diabetes-in-adults-management-pdf-1837338615493",
    "Rag-Employee-Handbook__google_handbook",
    "SSSMIL__46_SSSMIL_Annual_Report_2021-2022",
    "car-manual-qa__APP-TIAGO-FINAL-OMSB",
    "luma.lcd__UC1701X",
    "opal_imu__DevelopersGuide",
    "pulp__datasheet",
    "rag-dataset__meta_10-k_2024",
    "saml-playground__saml-core-2.0-os",
    "victor-kipruto-rop-portfolio__Kenya-Leading-Economic-Indicators-February-2023",
    # batch 36 (tune since its read): every file of 20 pages or more
    "HR-Policy__RFSUNY-Leave-Handbook",
    "LilyGO-T-SIM7000G__SIM7000_Series_MQTTS_Application_Note_V1.02",
    "RAG-Challenge-2__194000c9109c6fa628f1fed33b44ae4c2b8365f4",
    "equity-research-report-agent__Annual-Report-2019",
    "haccp-compliance-rag__codex_cxc_1-1969",
    "robotics-manual-rag__scriptManual",
    "technical-manual-rag__User_Manual_SM2_SE_Camera_CT_Ver.2.5.4_EN",
    "uk-banking-compliance-rag__ps21-3-operational-resilience",
    # batch 37 (tune since its read): every file of 20 pages or more
    "210k-Terminal__Capital-B-HY",
    "ESP32-POE__ESP32-POE-user-manual",
    "JacORB__ProgrammingGuide",
    "mooltipass__user_manual_mini",
    "mpu6050__MPU-6000-Datasheet1",
    "old-benchmarks-archive__CIS_PostgreSQL_12_Benchmark_v1.0.0",
    # batch 38 (tune since its read): every file of 20 pages or more
    "dfm-scenario-analysis__DFM_Q3_2025_FS_EN",
    "Earning-Calls-pdf-to-json-transformation__qec_bnp_2025_1Q",
    "rag-usecases__Financial-Analysis-Report-2018",
    "InferESG__GRI_14_Mining_Sector_2024_-_English",
    "basicmicro_python__api_reference",
    "Excimontec__User_Manual",
    "avr-sense__DS18B20",
    "CampusAwareIntelligentAIChatbot__Rules-of-Residence-2026",
    "tello-beginner__Tello_User_Manual_V1.2_EN",
    # batch 39 (tune since its read): every file of 20 pages or more
    "UseManual-AI__oven_user_manual",
    "RAK811_LoRaNode__RAK811_Lora_AT_Command_V1.4",
    "bureauchat__BIR_raw_data",
    "InvestorConference__2454_2025_q4_ir_en",
    "CloudMotiv__Maersk_Q2_2025_Interim_Report",
    "scalasca__UserGuide",
    "RBI-Chatbot__operations_risk",
    "terminologies-for-humanitarian-response__2008_ocha_profiling-idps",
    # batch 40 (tune since its read): every file of 20 pages or more
    "WirelessDUEProg__nRF24L01P_Product_Specification_1_0",
    "cFE__cFS_Deployment_Guide",
    "cybersecurity-docs-au__Essential_Eight_maturity_model_November_2023",
    "http2fs__rfc7540",
    "m1-klarna-checkout__UserGuide",
    "patriottrans.github.io__pati-20220930-ar",
    "ubot-ctrl__HID1_11",
    # batch 41 (tune since its read): every file of 20 pages or more
    "SDI-Control-Point__IRON_SDI_User_Manual",
    "Time-Appliance-Project__OCP_DC_PTP_Profile_v1r1",
    "backend-chatbot__code_of_conduct",
    "chatreport__2023-Consolidated-non-Financial-Statement",
    "fse2024-66-on-the-contents-and-utility-of-IoT-cybersecurity-guidelines__gl_4",
    "gen-ai-sid__employee-handbook",
    "networks__user_manual",
    # batch 42 (tune since its read): every file of 20 pages or more
    "Apollo3__Apollo3_Blue_MCU_Errata_List_v2_0",
    "ClimRetrieve__CT_REIT_2022_ESG_Report",
    "GRI-Sustainability-Reports-Analysis__113",
    "GeneralBot__Employee_Handbook_2020",
    "bh1900nux-breakout-board-pcb__bh1900nux-e",
    "canadian-tax-rag__rc4466-25e",
    "cktso__ug",
    "davinci__ECMA-262",
    "esp32c3-meteo-station__SSD1306_datasheet",
    "music-studio__userguidepro40english04",
    "uae-corporate-tax-rag__CT_General_Guide_-_EN_-_10_09_2023",
    # batch 43 (tune since its read): every file of 20 pages or more
    "Capgemini-Annual-Report-Analysis-FAQ-Chatbot-__Annual-Report-2024-25",
    "Datasheets__openocd",
    "HomeLabTools__SDL1000X-Programming_Guide-V1.0",
    "OTGW-firmware__OpenTherm-Protocol-Specification-v4.2",
    "UIC-RAG-Policy-chatbot__FY26_Budget_and_Salary_Guidelines_Final_Revised_07-16-25_V9",
    "enterprise-ai-search__Lenovo_Yoga_11e_Manual",
    "indico__UserGuide",
    "qatar-labour-law-agent__Qatar_Labor_Law_As_of_2024_1728321402",
    # batches 44-45 (tune since read 44): every file of 20 pages or more
    "BT-Car__Dragon12_light_hcs12_manual_A",
    "DREC-fpga__datasheet",
    "HR-Policy-RAG-Assistant__discipline-and-grievances-at-work-the-acas-guide",
    "LAM__UserManual_v0.4.3",
    "LibreILA__datasheet",
    "airtime-calculator__rp_2-1.0.1",
    "fda-rag-chatbot__Q10_Guideline",
    "openCONFIGURATOR_TclTkGui__UserManual",
    "quorum__2018-09-14_Clef-audit_NCC",
    "snap__SNAP_User_Manual",
    "testplan-data__DMTF_Redfish_DSP0266_v1.20.1",
    "vortran_laser__Manual",
    # batch 46 (tune since read 45): every file of 20 pages or more
    "Company-policy-rag__Employee-Handbook-for-Nonprofits-and-Small-Businesses",
    "CrystalPlan__user_guide",
    "LOVD3__manual",
    "kansas-drivers-exam__handbook",
    "social-engineer-toolkit__User_Manual",
    "tag-security__CNCF_cloud-native-security-whitepaper-May2022-v2",
    "yellowpaper__paper",
    # batch 47 (tune since read 46): every file of 20 pages or more
    "PF_RING__UsersGuide",
    "SBLLmalloc__manual",
    "SustainableQA__POLYTEC_Holding_AG",
    "Unifi_Instruct_Rag__picknpay-esg-report-spreads-2023",
    "ai-car-manual-assistant__2011-Cayenne-Owners-Manual",
    "cc2640r2f_ble__GATT",
    "derivingStructuredInsightsFromSustainabilityReportsViaLargeLanguageModels__Toshiba_Corp-Integrated_Report",
    "ethiopian-constitution-rag__Ethiopia_Constitution",
    "rag-streamlit-gpt-demo__Employee_Handbook",
    "vol-rest__users_guide",
    # batch 48 (tune since read 47): every file of 20 pages or more
    "OSHW-reCamera-Series__CAN_Protocol_DescriptionV2.36",
    "belanjawan-bot__economic_ch1_management",
    "fastmrz__9303_p4_cons_en",
    "psgscoring__handbook",
    # batch 49 (tune since read 48): every file of 20 pages or more
    "Quectel_BG96__Quectel_BG96_AT_Commands_Manual_V2.2",
    "SustainableQA__ATOSS_Software_SE",
    "SustainableQA__Addiko-Bank-AG-Sustainability-Report-2023",
    "derivingStructuredInsightsFromSustainabilityReportsViaLargeLanguageModels__Eni_SpA-Sustainability_Report",
    "derivingStructuredInsightsFromSustainabilityReportsViaLargeLanguageModels__Virgin_Atlantic_Ltd-Annual_Report",
    "rfr.__rfr.handbook",
    # batch 50 (tune since read 49): every file of 20 pages or more
    "SustainableQA__1&1_AG",
    "SustainableQA__Palfinger_AG",
    "derivingStructuredInsightsFromSustainabilityReportsViaLargeLanguageModels__GlobalFoundries-2022_Corporate_Responsibility_Report",
    "mutatex__manual",
    # batch 51 (tune since read 50): every file of 20 pages or more
    "SustainableQA__IONOS_Group_SE",
    "concall-parser__ambuja_cement",
    "pvpsitMate__academic_regulations_pvp23",
    "rez__user_manual",
    # batch 52 (tune since read 51): every file of 20 pages or more
    "SustainableQA__MAX_AUTOMATION_SE_NA_O.N",
    "SustainableQA__SCHOELLER-BLECKMANN_AG",
    "derivingStructuredInsightsFromSustainabilityReportsViaLargeLanguageModels__Commonwealth_Bank_of_Australia-SASB_Index",
    "derivingStructuredInsightsFromSustainabilityReportsViaLargeLanguageModels__Humana_Inc-ESG_Index",
    # batch 53 (tune since read 52): every file of 20 pages or more
    "BuzzKill__BuzzKill_user_guide",
    "SustainableQA__KION_GROUP_AG",
    "derivingStructuredInsightsFromSustainabilityReportsViaLargeLanguageModels__CarMax_Inc-2022_Responsibility_Report",
    "derivingStructuredInsightsFromSustainabilityReportsViaLargeLanguageModels__Washington_Real_Estate_Investment_Trust-ESG_Report",
    # batch 54 (tune since read 53): every file of 20 pages or more
    "Academic-Policy-RAG__Code_20of_20Conduct_20and_20Ethics_20Policy",
    "BachelorThesis__Adidas_2020_SR",
    "Nursing_Chatbot__Section_01_-_Medical_Emergencies",
    "OWON-Oscilloscope-Parser__users_guide",
    "WeActStudio.EpaperModule__E042A88-A1_Spec",
    "ghana-constitution-rag__ghanaian_constitution1992",
    "org.hhi.adlar-heatpump__R290_Heat_Pump_User_manual",
    # batch 55 (tune since read 54): every file of 20 pages or more
    "DisasterOps__nims-incident-complexity-guide",
    "ai_law_rag__law",
    "concall-parser__icici_lombard",
    "enterprise_rag_challenge_fk__NASDAQ_CLXT_2022",
    # batch 56 (tune since read 55): every file of 20 pages or more
    "Research-Paper-Insight-Generator-using-RAG__paper",
    "palmwatch-v2__2021H1_ferrero",
    # batch 57 (tune since read 56): every file of 20 pages or more
    "Car_crashes_analysis__manual",
    "Grid2Grid__manual",
    "Understanding-Financial-Reports-using-Natural-Language-Processing__Final_Report",
    # batch 58 (tune since read 57): every file of 20 pages or more
    "BeebOPL__user_guide",
    # batch 59 (tune since read 58): every file of 20 pages or more
    "oabenchv2__datasheet",
    "docs__guidelines",
    "floss-governance__handbook",
    # batch 60 (tune since read 59): every file of 20 pages or more
    "tiegcm__tiegcm_modeldes_17june09_MH",
    "sensor__Datasheet",
    # batch 61 (tune since read 60): every file of 20 pages or more
    "CoOMBE__user_manual",
    "opensbli__OpenSBLI_user_manual",
    "crazyflie-electronics__MS5611-01BA03",
    "marie-curie-ksem__guidelines",
    # batch 62 (tune since read 61): every file of 20 pages or more
    "openxdf__handbook",
    # batch 63 (tune since read 62): every file of 20 pages or more
    "inequality__guidelines",
    "ReproBLAS__EECS-2015-229",
    "ORS-openthermo__Manual",
    "visual-servoing-puma__picsrvsc",
    # batch 64 (tune since read 63): every file of 20 pages or more
    "CambridgeRocketrySimulator__user_guide",
    "fpgadriver__user_guide",
    "gadfit__user_guide",
    "padres__user_guide",
    # batch 65 (tune since read 64): every file of 20 pages or more
    "employee-portal__handbook",
    "docs__bylaws",
    "Governing-Docs__bylaws",
    "bylaws__bylaws",
    "Report-on-the-Demographic-Situation-in-Canadian-Armed-Forces__paper",
    # batch 66 (tune since read 65): every file of 20 pages or more
    "ReticulumExamples__primer",
    "LDH-resources__Guidebook_full_version_-_draft",
    "precision-irrigation-documents__user-guide",
    "SquidStatAPI__instructions",
)
READ_SIZE = 50
READ_SEED = 66


def convert_all(out: Path) -> dict[str, tuple[str, str, str | None]]:
    sys.path.insert(0, str(DEVSET))
    from restore_large import missing  # the files over 2 MiB live outside the repository

    if absent := missing():
        names = ", ".join(item.target for item in absent)
        raise SystemExit(
            f"missing development documents: {names}; "
            "run python benchmarks/devset/pairs/restore_large.py first"
        )
    files = {
        "tune": sorted((DEVSET / "documents" / "tune").glob("*"))
        + sorted(p for p in (CORPUS / "pdf").glob("*.pdf"))
        + sorted(p for p in (CORPUS / "other").glob("*")),
        "heldout": sorted((DEVSET / "documents" / "heldout").glob("*")),
    }
    docs: dict[str, tuple[str, str, str | None]] = {}
    for split, paths in files.items():
        if not paths:
            continue  # no held-out batch between a read and the next fetch
        target = out / split
        cli_main(["convert", *map(str, paths), "--out", str(target)])
        titles = {p.stem: file_title(p) for p in paths}
        for md in target.glob("*.md"):
            docs[md.stem] = (split, md.read_text(), titles.get(md.stem))
    return docs


def file_title(path: Path) -> str | None:
    """The metadata title the conversion result carries (the CLI writes only the Markdown)."""
    data = path.read_bytes()
    return metadata_title(data, media.detect_media_type(path.name, data))


def chunks_of(key: str, markdown: str, title: str | None = None) -> pd.DataFrame:
    # the devset's stems are "<repository>__<file stem>": the file's own name is the second
    subject = document_subject(markdown, title, key.split("__", 1)[-1])
    pieces = chunk_markdown(markdown, [0])
    reasons = triage_document([p.text for p in pieces], [p.heading_path for p in pieces])
    rows = [
        {
            "chunk_id": f"{key}-c{p.chunk_index:04d}",
            "document_key": key,
            "content_hash": "dev",
            "chunk_index": p.chunk_index,
            "heading_path": list(p.heading_path),
            "text": p.text,
            "has_table": p.has_table,
            "skip_reason": reason,
            "document_subject": subject,
        }
        for p, reason in zip(pieces, reasons, strict=True)
    ]
    return pd.DataFrame(rows)


def precision_recall(passed: list[bool], good: list[bool]) -> str:
    tp = sum(p and g for p, g in zip(passed, good, strict=True))
    fp = sum(p and not g for p, g in zip(passed, good, strict=True))
    fn = sum(g and not p for p, g in zip(passed, good, strict=True))
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    return f"precision {precision:.2f}  recall {recall:.2f}  (accepted {tp + fp}, tp {tp})"


def labelled_chunks(labels: list[dict]) -> pd.DataFrame:
    """The chunks the labelled pairs were written from, as stored with the labels (so a later
    change of conversion or chunking cannot move a label onto other text)."""
    seen: dict[str, dict] = {}
    for r in labels:
        seen.setdefault(
            r["chunk_id"],
            {
                "chunk_id": r["chunk_id"],
                "document_key": r["document"],
                "heading_path": r.get("heading_path") or [],
                "text": r["chunk_text"],
            },
        )
    return pd.DataFrame(list(seen.values()))


def labelled_pairs(labels: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "pair_id": f"l{i}",
                "chunk_id": r["chunk_id"],
                "document_key": r["document"],
                "content_hash": "dev",
                "question": r["question"],
                "answer": r["answer"],
                "question_type": r["question_type"],
                "evidence": None,
                "generator": "labelled",
                "model": None,
                "prompt_version": "labelled",
                "error": None,
            }
            for i, r in enumerate(labels)
        ]
    )


def judge_labels() -> None:
    labels = [json.loads(line) for line in (DEVSET / "labels.jsonl").read_text().splitlines()]
    good = [r["label"] == "good" for r in labels]
    print(f"labelled pairs: {len(labels)} ({sum(good)} good), documents of the tune split")
    print("  lexical judge before this work:", precision_recall(
        [r["baseline_lexical_passed"] for r in labels], good))  # fmt: skip
    pairs = labelled_pairs(labels)
    chunks = labelled_chunks(labels)
    lexical = judge_pairs_offline(pairs, chunks)
    print("  lexical judge + pair checks:   ", precision_recall(list(lexical["passed"]), good))
    from sdg_pipeline_tests.fake_openai_server import FakeOpenAIServer, fast_settings

    with tempfile.TemporaryDirectory() as cache, FakeOpenAIServer() as server:
        judged, _ = judge_pairs_llm(
            pairs,
            chunks,
            settings=fast_settings(server.base_url, model="loopback"),
            cache_root=cache,
            document_key="devset",
        )
    # The LLM judge returns rows grouped by chunk: align them with the labels by pair id.
    verdict = dict(zip(judged["pair_id"], judged["passed"], strict=True))
    llm_passed = [bool(verdict[pid]) for pid in pairs["pair_id"]]
    print("  LLM judge (loopback) + checks: ", precision_recall(llm_passed, good))


def proxies(all_chunks: pd.DataFrame, splits: dict[str, str]) -> pd.DataFrame:
    usable = all_chunks[all_chunks["skip_reason"].isna()]
    pairs = generate_pairs_offline(usable)
    judged = judge_pairs_offline(pairs, all_chunks)
    accepted = judged[judged["passed"]].copy()
    texts = dict(zip(all_chunks["chunk_id"], all_chunks["text"], strict=True))
    n = len(accepted)
    rates = {
        "data-value-as-header": sum(
            bool(data_value_header_issue(q, t, texts[c]))
            for q, t, c in zip(
                accepted.question, accepted.question_type, accepted.chunk_id, strict=True
            )
        ),
        "fragment answers": sum(bool(fragment_issue(a)) for a in accepted.answer),
        "junk template slots": sum(bool(junk_slot_issue(q)) for q in accepted.question),
        "repeated questions": sum(repeated_questions(accepted.document_key, accepted.question)),
    }
    print(f"\noffline generation over {all_chunks.document_key.nunique()} documents: "
          f"{len(pairs)} pairs, {n} accepted")  # fmt: skip
    for name, count in rates.items():
        print(f"  {name}: {count}/{n} = {count / n:.1%}" if n else f"  {name}: n/a")
    met = total_got = total_content = 0
    for key in LONG:
        content = int((usable["document_key"] == key).sum())
        got = int((accepted["document_key"] == key).sum())
        print(f"  {key} ({splits.get(key)}): {got} accepted over {content} content chunks = "
              f"{got / content if content else 0:.2f} per chunk (target >= 0.33)")  # fmt: skip
        met += bool(content) and got / content >= 0.33
        total_got, total_content = total_got + got, total_content + content
    if total_content:
        print(f"  long documents: {met} of {sum(1 for k in LONG if k in splits)} at >= 0.33; "
              f"together {total_got} accepted over {total_content} content chunks = "
              f"{total_got / total_content:.2f} per chunk")  # fmt: skip
    return accepted


def print_yields(all_chunks: pd.DataFrame, accepted: pd.DataFrame, splits: dict) -> None:
    """Accepted pairs per content chunk of every held-out document (counts only)."""
    usable = all_chunks[all_chunks["skip_reason"].isna()]
    print("\nheld-out documents: accepted pairs / content chunks (skipped by triage)")
    for key in sorted(k for k, split in splits.items() if split == "heldout"):
        content = int((usable["document_key"] == key).sum())
        skipped = int((all_chunks["document_key"] == key).sum()) - content
        got = int((accepted["document_key"] == key).sum())
        rate = f"{got / content:.2f}" if content else "n/a"
        print(f"  {key}: {got} / {content} = {rate} ({skipped} skipped)")


def write_read_sample(heldout: pd.DataFrame, all_chunks: pd.DataFrame, target: Path) -> None:
    texts = dict(zip(all_chunks["chunk_id"], all_chunks["text"], strict=True))
    subjects = dict(zip(all_chunks["chunk_id"], all_chunks["document_subject"], strict=True))
    rows = sorted(heldout.to_dict("records"), key=lambda r: r["pair_id"])
    random.Random(READ_SEED).shuffle(rows)
    with target.open("w", encoding="utf-8") as out:
        for r in rows[:READ_SIZE]:
            record = {
                "document_key": r["document_key"],
                "document_subject": subjects.get(r["chunk_id"]),
                "question": r["question"],
                "answer": r["answer"],
                "question_type": r["question_type"],
                "chunk_id": r["chunk_id"],
                "chunk_text": texts[r["chunk_id"]],
                "label": None,
                "reason": None,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        docs = convert_all(Path(tmp))
    splits = {key: split for key, (split, _, _) in docs.items()}
    all_chunks = pd.concat(
        [chunks_of(k, md, title) for k, (_, md, title) in docs.items()], ignore_index=True
    )
    judge_labels()
    accepted = proxies(all_chunks, splits)
    heldout = accepted[accepted["document_key"].map(splits) == "heldout"]
    print_yields(all_chunks, accepted, splits)
    if "--write-read" in sys.argv:
        # A seeded random sample of accepted held-out pairs, for an independent read: written to
        # a file, not printed, so whoever runs this does not see what is to be labelled.
        target = Path(sys.argv[sys.argv.index("--write-read") + 1])
        write_read_sample(heldout, all_chunks, target)
        print(f"\nwrote {min(READ_SIZE, len(heldout))} of {len(heldout)} accepted held-out pairs "
              f"to {target} (seed {READ_SEED}), unread")  # fmt: skip
    if "--dump" in sys.argv:
        tune = accepted[accepted["document_key"].map(splits) == "tune"]
        for r in tune.to_dict("records"):
            print("ACC", r["document_key"][:20], "|", r["question"], "=>", r["answer"][:140])
    # The labelled reads `heldout_read_<n>.jsonl` (each batch read once, then moved to tune; see
    # MANIFEST.md); the pattern skips the unlabelled sample --write-read writes beside them.
    labelled = [
        p
        for p in DEVSET.glob("heldout_read_*.jsonl")
        if re.fullmatch(r"heldout_read_\d+\.jsonl", p.name)
    ]
    for read_path in sorted(labelled, key=lambda p: int(p.stem.rsplit("_", 1)[1])):
        read = [json.loads(line) for line in read_path.read_text().splitlines()]
        ok = sum(r["label"] == "good" for r in read)
        print(f"\nindependent read {read_path.name}: {ok}/{len(read)} good = {ok / len(read):.0%}")


if __name__ == "__main__":
    main()
