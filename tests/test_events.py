"""Events: type, source, target, modality and date from sentences written for these tests."""

from __future__ import annotations

import pytest

from engine_helpers import article, events_of, names_of


def one(text: str, language: str, published: str = "2024-06-19") -> set[tuple]:
    """The set of events an inline text states."""
    return set(events_of(article(text, published=published, language=language)))


@pytest.mark.parametrize("text, language, expected", [
    # asserted, with a weekday resolved to the day before publication (Wednesday 19 June 2024)
    ("Menteri Luar Negeri Mongolia, Batbayar Ganbold, bertemu dengan Presiden Kazakhstan pada hari Selasa.", "id",
     ("CONSULT", "Batbayar Ganbold", "Kazakhstan", "asserted", "2024-06-18", "day")),
    # planned
    ("Gubernur Sulawesi Utara, Yohanes Rumondor, berencana mengunjungi Davao bulan depan.", "id",
     ("CONSULT", "Yohanes Rumondor", "Davao", "planned", "2024-07", "month")),
    # reported
    ("Kazakhstan dikabarkan mengirim bantuan ke Mongolia minggu lalu.", "id",
     ("AID", "Kazakhstan", "Mongolia", "reported", "2024-06", "month")),
    # denied; "nelayan Indonesia" (Indonesian fishermen) makes Indonesia the target
    ("Malaysia membantah telah menahan nelayan Indonesia.", "id",
     ("COERCE", "Malaysia", "Indonesia", "denied", "2024-06-19", "article")),
    # hypothetical
    ("Jika Vietnam menyerang Kamboja, perang akan meluas.", "id",
     ("ASSAULT", "Vietnam", "Cambodia", "hypothetical", "2024-06-19", "article")),
    # a capital visited stands for its state
    ("Trade Minister Alia Serikbayeva plans to visit Baku next week.", "en",
     ("CONSULT", "Alia Serikbayeva", "Azerbaijan", "planned", "2024-06", "month")),
    ("Peru reportedly sent aid to Bolivia on Monday.", "en",
     ("AID", "Peru", "Bolivia", "reported", "2024-06-17", "day")),
    ("Chile denied that it had sanctioned Argentina.", "en",
     ("SANCTION", "Chile", "Argentina", "denied", "2024-06-19", "article")),
])
def test_events_modality_and_date(text, language, expected):
    assert expected in one(text, language)


def test_events_speaker_reports_what_another_actor_did():
    found = one("Juru bicara Kementerian Luar Negeri Jepang, Hiroshi Tanabe, mengatakan bahwa Rusia mengirim amunisi "
                "ke Suriah.", "id")
    assert ("AID", "Russia", "Syria", "reported", "2024-06-19", "article") in found


def test_events_spokesperson_speaking_for_their_own_state_is_the_source():
    found = one("White House spokeswoman Dana Whitfield said on Monday that the United States condemned Iran.", "en")
    assert ("ACCUSE", "Dana Whitfield", "Iran", "asserted", "2024-06-17", "day") in found


def test_events_capital_stands_for_its_state_and_stays_the_place():
    extracted = article("Moskow mendukung Pyongyang dalam sengketa itu.", language="id")
    events = [e for e in extracted.events if e["type"] == "SUPPORT"]
    assert events and events[0]["source_id"] == "country:RUS" and events[0]["target_id"] == "country:PRK"
    assert events[0]["place_id"] is not None


def test_events_official_speaking_for_own_state_asserts_the_states_act_and_voices_its_protest():
    found = one("Lavrov mengatakan Moskow mendukung Pyongyang.", "id")
    assert ("SUPPORT", "Russia", "North Korea", "asserted", "2024-06-19", "article") in found
    # A concern or a protest is the spokesperson's own act of speech.
    found = one("Juru bicara Gedung Putih John Kirby mengatakan Amerika Serikat mengecam Korea Utara.", "id")
    assert ("ACCUSE", "John Kirby", "North Korea", "asserted", "2024-06-19", "article") in found


def test_events_between_two_sides_and_both_countries():
    found = one("Korea Utara dan Rusia sering disebut. Negosiasi antara kedua negara itu terus berlanjut.", "id")
    assert any(e[0] == "CONSULT" and {e[1], e[2]} == {"North Korea", "Russia"} for e in found)


def test_events_passive_voice_takes_the_agent_as_source():
    found = one("Dua kapal Filipina ditahan oleh Penjaga Pantai China di Laut China Selatan.", "id")
    assert any(e[0] == "COERCE" and e[1] == "China Coast Guard" or e[1] == "China" for e in found)


def test_events_a_sentence_without_interaction_gives_none():
    assert one("Harga beras di Jakarta naik 3 persen sepanjang tahun lalu.", "id") == set()
    assert one("The weather in Lisbon was mild.", "en") == set()


@pytest.mark.parametrize("text, language, expected", [
    ("Russia stopped supplying Pyongyang with oil in 1990.", "en", ("AID", "Russia", "North Korea", "denied", "1990", "year")),
    ("Korea Utara tidak mengirim pasukan ke Rusia.", "id",
     ("MOBILIZE", "North Korea", "Russia", "denied", "2024-06-19", "article")),
])
def test_events_negated_acts_are_not_asserted(text, language, expected):
    assert expected in one(text, language)


def test_events_country_inside_a_title_is_not_a_party():
    found = one("Pernyataan itu muncul setelah Presiden Rusia Vladimir Putin dan pemimpin Korut Kim Jong Un "
                "menandatangani perjanjian di Pyongyang, Rabu (19/6).", "id")
    assert ("AGREE", "Vladimir Putin", "Kim Jong Un", "asserted", "2024-06-19", "day") in found
    assert not any(e[0] == "AGREE" and "Russia" in (e[1], e[2]) for e in found)


def test_events_look_alike_phrases_and_acts_already_told_are_not_events():
    assert one("Indonesia meminta semua pihak menahan diri.", "id") == {
        ("REQUEST", "Indonesia", None, "asserted", "2024-06-19", "article")}
    assert one("Jepang membahas dampak perjanjian itu.", "id") == set()


def test_events_wire_copy_they_refers_to_who_acted_before_and_the_act_told_is_not_new():
    found = one("U.S. Secretary of State Antony Blinken and his South Korean counterpart Cho Tae-yul met in Washington "
                "last week and urged Pyongyang to stop. They also warned that Russia could transfer military "
                "technology to North Korea. The launch violated U.N. Security Council resolutions.", "en")
    assert ("CONSULT", "Antony Blinken", "Cho Tae-yul", "asserted", "2024-06", "month") in found
    # a possibility warned of carries the date of the warning, as the warning itself does
    assert ("AID", "Russia", "North Korea", "hypothetical", "2024-06", "month") in found
    assert ("THREATEN", "Antony Blinken", "Russia", "asserted", "2024-06", "month") in found
    assert not any(e[0] == "MOBILIZE" for e in found)  # "The launch" points back; it is not a new launch
    assert not any("South Korea" in (e[1], e[2]) for e in found)  # the office's country, not a party


def test_events_indonesian_noun_triggers_take_the_actor_after_them_and_deployments_their_subject():
    found = one("Pemerintah Indonesia menyerukan dialog setelah laporan pengiriman pasukan Korea Utara ke Rusia. "
                "Sekretaris Jenderal NATO Mark Rutte pada Senin (17/6) mengonfirmasi bahwa unit militer Korea Utara "
                "telah dikerahkan ke wilayah Kursk. Menteri Pertahanan Rudi Hartono menolak berkomentar.", "id")
    assert any(e[0] == "MOBILIZE" and e[2] == "Russia" and e[3] == "reported" for e in found)
    assert any(e[0] == "MOBILIZE" and e[2] == "Kursk Oblast" and e[4] == "2024-06-17" for e in found)
    assert not any(e[0] == "REJECT" for e in found)  # "menolak berkomentar" declines to comment


def test_events_an_act_named_again_points_to_who_did_it_and_each_subject_acts():
    found = events_of(article("North Korea fired a ballistic missile on Thursday. Japan and South Korea condemned the "
                              "launch.", published="2024-11-01", language="en"))
    assert ("ACCUSE", "Japan", "North Korea", "asserted", "2024-10-31", "day") in found
    assert ("ACCUSE", "South Korea", "North Korea", "asserted", "2024-10-31", "day") in found


def test_events_a_passive_without_agent_takes_who_just_acted_on_the_same_party():
    found = events_of(article("Kejaksaan Agung menahan Hendra Wiratmaja, mantan direktur PT Bina Karya, pada Senin. "
                              "Hendra langsung ditahan di Jakarta selama 20 hari. Tiga perahu juga disita.",
                              published="2025-03-12", language="id"))
    assert found.count(("COERCE", "Kejaksaan Agung", "Hendra Wiratmaja", "asserted", "2025-03-10", "day")) == 2
    assert ("COERCE", "Kejaksaan Agung", None, "asserted", "2025-03-10", "day") in found


def test_events_a_government_acting_through_an_agency_is_the_country():
    found = article("Pemerintah Jepang, melalui Japan International Cooperation Agency (JICA), menyerahkan 500 tenda "
                    "kepada BNPB di Jakarta pada Minggu.", language="id")
    names = {row["entity_id"]: row["name"] for row in found.entities}
    aid = [e for e in found.events if e["type"] == "AID"]
    assert aid and names[aid[0]["source_id"]] == "Japan"


def test_events_the_possessor_of_the_object_is_the_target_when_a_later_name_sits_in_another_phrase():
    found = article("CAIRO - U.S. special envoy Steve Witkoff on Saturday rejected Hamas's response to his latest "
                    "ceasefire proposal for Gaza. Mongolia's western province of Bayan-Olgii welcomed the plan.",
                    language="en")
    names = {row["entity_id"]: row["name"] for row in found.entities}
    rejections = [(names[e["source_id"]], names.get(e["target_id"])) for e in found.events if e["type"] == "REJECT"]
    assert ("Steve Witkoff", "Hamas") in rejections


def test_events_the_alliance_and_the_bloc_are_the_international_organisation_named_before():
    found = article("BRUSSELS - NATO Secretary General Mark Rutte said the alliance stood with Lithuania. "
                    "European Union foreign policy chief Kaja Kallas said the bloc was ready to impose sanctions "
                    "on Minsk.", language="en")
    names = {row["entity_id"]: row["name"] for row in found.entities}
    pairs = {(e["type"], names[e["source_id"]]) for e in found.events}
    assert ("SUPPORT", "NATO") in pairs and ("SANCTION", "European Union") in pairs


@pytest.mark.parametrize("language, text", [
    ("id", "Hubungan kedua negara semakin erat sejak Perjanjian Kemitraan Strategis Komprehensif ditandatangani oleh "
           "Presiden Rusia Vladimir Putin dan Kim Jong Un di Pyongyang pada Juni lalu."),
    ("en", "The treaty was signed by Vladimir Putin and Kim Jong Un in Pyongyang in June."),
])
def test_events_a_passive_with_named_agents_is_their_act_and_a_named_treaty_is_no_act(language: str, text: str):
    found = article(text, language=language)
    names = {row["entity_id"]: row["name"] for row in found.entities}
    acts = {(e["type"], names[e["source_id"]], names.get(e["target_id"])) for e in found.events}
    assert acts == {("AGREE", "Vladimir Putin", "Kim Jong Un")}


def test_events_a_proposal_rejected_by_a_party_man_is_his_act_against_its_proposer():
    found = article("Hardiyanto mengusulkan agar Komisi XI memanggil Sri Mulyani. Usulan itu ditolak oleh politikus "
                    "Partai Gerindra, Darsono, yang menilai pemanggilan itu tidak perlu.", language="id")
    names = {row["entity_id"]: row["name"] for row in found.entities}
    rejections = {(names[e["source_id"]], names.get(e["target_id"])) for e in found.events if e["type"] == "REJECT"}
    assert rejections == {("Darsono", "Hardiyanto")}


@pytest.mark.parametrize("text, language, expected", [
    # verbs beyond the first lexicon: a harsh word, a prison, an air strike, praise
    ("WARSAW - Poland lambasted Belarus on Tuesday for pushing migrants across the border.", "en",
     ("ACCUSE", "Poland", "Belarus")),
    ("Pengadilan Malaysia memenjarakan dua nelayan Indonesia pada Senin.", "id",
     ("COERCE", "Pengadilan Malaysia", "Indonesia")),
    ("Israel melancarkan serangan udara ke Lebanon pada Selasa malam.", "id",
     ("ASSAULT", "Israel", "Lebanon")),
    ("Kazakhstan hailed China's new railway to Europe on Monday.", "en",
     ("SUPPORT", "Kazakhstan", "China")),
])
def test_events_wider_vocabulary_finds_the_act(text: str, language: str, expected: tuple) -> None:
    found = {event[:3] for event in one(text, language)}
    assert expected in found


def test_events_a_denial_that_something_happened_is_not_a_rejection() -> None:
    found = one("Juru bicara Kremlin membantah bahwa Rusia telah meminta Korea Utara mengirim pasukan tambahan.", "id")
    assert not any(event[0] == "REJECT" for event in found)


def test_events_foreign_organisation_names_and_the_union_and_the_company_after_them() -> None:
    text = ("LIMA - The Sindicato Unitario de Trabajadores Portuarios signed a new contract with Compañía Portuaria "
            "del Sur on Friday. The union had rejected the company's first offer in May.")
    found = article(text, language="en")
    types = {row["name"]: row["type"] for row in found.entities}
    assert types.get("Sindicato Unitario de Trabajadores Portuarios") == "ORG"
    assert types.get("Compañía Portuaria del Sur") == "ORG"
    events = {event[:3] for event in events_of(found)}
    assert ("AGREE", "Sindicato Unitario de Trabajadores Portuarios", "Compañía Portuaria del Sur") in events
    assert ("REJECT", "Sindicato Unitario de Trabajadores Portuarios", "Compañía Portuaria del Sur") in events


def test_events_fishermen_in_an_alliance_act_as_the_alliance_and_a_fishermans_title_stays_in_its_name() -> None:
    text = ("Ratusan nelayan yang tergabung dalam Serikat Nelayan Pesisir Sikka menggelar unjuk rasa di depan "
            "Kedutaan Besar Australia pada Senin. Mereka menuntut Australia mengembalikan perahu yang disita.")
    found = article(text, language="id")
    assert {row["name"]: row["type"] for row in found.entities}.get("Serikat Nelayan Pesisir Sikka") == "ORG"
    events = {event[:3] for event in events_of(found)}
    assert ("REQUEST", "Serikat Nelayan Pesisir Sikka", "Australia") in events


def test_events_a_meeting_place_is_not_the_other_side_of_the_meeting() -> None:
    events = {event[:3] for event in one("Para menteri ASEAN menggelar pertemuan tertutup di Bangkok pada Minggu.",
                                         "id")}
    assert events and all(target != "Bangkok" for _, _, target in events)


def test_events_its_company_is_the_firm_the_story_is_about_not_one_named_in_passing() -> None:
    text = ("Agro Lestari Ltda berencana membuka pabrik di Makassar. Agro Lestari Ltda sudah membeli lahan. "
            "Direktur Agro Lestari, Paulo Mendes, mengatakan perusahaan itu menjajaki kerja sama dengan Koperasi "
            "Tani Maju. Namun, Mendes membantah bahwa perusahaannya telah menandatangani kontrak dengan PT Sinar "
            "Kakao.")
    events = {event[:3] for event in events_of(article(text, language="id"))}
    assert ("AGREE", "Agro Lestari Ltda", "PT Sinar Kakao") in events


def test_events_union_leaders_stand_for_the_union_named_before() -> None:
    text = ("LAGOS - The Maritime Workers Union began a strike against Apapa Terminal Services Ltd on Monday. "
            "Officials of the Ministry of Labour met union leaders in Lagos on Wednesday.")
    events = {event[:3] for event in events_of(article(text, language="en"))}
    assert ("CONSULT", "Ministry of Labour", "Maritime Workers Union") in events


def test_events_where_people_met_and_where_aid_left_from_are_neither_source_nor_target() -> None:
    events = {event[:3] for event in one("Labour Minister Rosa Pereira met union representatives in Recife on "
                                         "Monday and urged both sides to end the strike.", "en")}
    assert any(kind == "REQUEST" and source == "Rosa Pereira" for kind, source, _ in events)
    assert not any(source == "Recife" for _, source, _ in events)
    events = {event[:3] for event in one("New Zealand sent a navy ship from Auckland with engineers and medical "
                                         "teams on Wednesday.", "en")}
    assert not any(target == "Auckland" for _, _, target in events)


@pytest.mark.parametrize("text, language, expected", [
    ("Thai and Cambodian troops clashed near the border on Monday.", "en", ("ASSAULT", "Thailand", "Cambodia")),
    ("Tentara Thailand dan Kamboja bentrok di perbatasan pada Senin.", "id", ("ASSAULT", "Thailand", "Cambodia")),
    ("Tajik troops opened fire on Kyrgyz border guards on Tuesday.", "en", ("ASSAULT", "Tajikistan", "Kyrgyzstan")),
])
def test_events_two_sides_clashing_and_everyday_adjectives_for_countries(text: str, language: str,
                                                                          expected: tuple) -> None:
    assert expected in {event[:3] for event in one(text, language)}


def test_events_an_indonesian_passive_names_its_agent_without_oleh() -> None:
    found = {event[:2] for event in one("Delapan nelayan Aceh ditangkap Angkatan Laut Myanmar di dekat Kawthaung.",
                                        "id")}
    assert ("COERCE", "Angkatan Laut Myanmar") in found


def test_events_a_pair_inside_an_aside_is_not_the_subject() -> None:
    events = {event[:3] for event in one("Kyrgyzstan and Tajikistan clashed on Tuesday. Russia, which has military "
                                         "bases in both countries, called on Bishkek and Dushanbe to show restraint.",
                                         "en")}
    assert ("REQUEST", "Russia", "Kyrgyzstan") in events and ("REQUEST", "Russia", "Tajikistan") in events


def test_events_the_name_after_a_plain_noun_and_a_comma_is_the_subject() -> None:
    events = {event[:3] for event in one("Leaders of Iraq's largest Shiite alliance, the National Reform Coalition, "
                                         "met leaders of the Kurdistan Democratic Party in Baghdad on Tuesday.", "en")}
    assert ("CONSULT", "National Reform Coalition", "Kurdistan Democratic Party") in events
    assert not any(kind == "COOPERATE" for kind, _, _ in events)  # "alliance" here describes the coalition


@pytest.mark.parametrize("text, language, expected", [
    ("The Chilean Mining Workers Union said it would sue Minera Andina over the dismissals.", "en",
     ("ACCUSE", "Chilean Mining Workers Union", "Minera Andina")),
    ("Direktur PT Karya Lestari, Budi Santoso, menyuap Bupati Banyuwangi, Agus Hadi, pada 2023.", "id",
     ("AID", "Budi Santoso", "Agus Hadi")),
])
def test_events_lawsuits_and_bribes(text: str, language: str, expected: tuple) -> None:
    assert expected in {event[:3] for event in one(text, language)}


def test_events_an_act_on_people_no_name_stands_for_is_written_without_a_target() -> None:
    events = {event[:3] for event in one("Police fired tear gas at protesters outside the court on Monday.", "en")}
    assert ("ASSAULT", "Police", None) in events
    assert not any(kind == "PROTEST" for kind, _, _ in events)  # the police did not protest
    assert not any(kind == "MOBILIZE" for kind, _, _ in events)  # tear gas fired is no weapons test


def test_events_a_chamber_sitting_is_no_meeting_between_parties() -> None:
    events = one("Dewan Perwakilan Rakyat (DPR) mengesahkan revisi undang-undang dalam rapat paripurna di Jakarta. "
                 "Rapat dipimpin oleh Wakil Ketua DPR, Heri Gunawan.", "id")
    assert not any(event[0] == "CONSULT" for event in events)


def test_events_a_verb_coordinated_after_a_determiner_keeps_the_subject():
    # "that" here is a determiner, not the word that opens what was said.
    found = one("Tajikistan's border service rejected that account and accused Kyrgyz guards of trying to install "
                "a camera on the road to Isfara.", "en")
    assert ("ACCUSE", "Tajikistan", "Kyrgyzstan", "asserted", "2024-06-19", "article") in found


@pytest.mark.parametrize("text, language, expected", [
    ("A cyclone hit Vanuatu on Monday. Opposition leader Willie Natuman accused the government of failing to warn "
     "villages.", "en", ("ACCUSE", "Willie Natuman", "Vanuatu", "asserted", "2024-06-19", "article")),
    ("Banjir melanda Indonesia dan Malaysia. Ketua Walhi, Andi Rahman, mengecam pemerintah karena lambat "
     "menyalurkan bantuan.", "id", ("ACCUSE", "Andi Rahman", "Indonesia", "asserted", "2024-06-19", "article")),
])
def test_events_the_government_unnamed_is_the_state_the_article_speaks_of(text, language, expected):
    assert expected in one(text, language)


def test_events_a_local_government_is_not_the_state():
    found = one("Banjir melanda Indonesia. Andi Rahman mengecam pemerintah daerah karena lambat bertindak.", "id")
    assert not any(event[2] == "Indonesia" for event in found)


@pytest.mark.parametrize("text, language, expected", [
    ("Kyrgyzstan's State Committee for National Security said Tajik troops opened fire first. Tajikistan "
     "rejected that account.", "en",
     ("REJECT", "Tajikistan", "State Committee for National Security", "asserted", "2024-06-19", "article")),
    ("Kepolisian Daerah Jawa Barat mengatakan para buruh merusak pagar pabrik. Serikat Pekerja Nasional menolak "
     "klaim itu.", "id",
     ("REJECT", "Serikat Pekerja Nasional", "Kepolisian Daerah Jawa Barat", "asserted", "2024-06-19", "article")),
])
def test_events_a_claim_rejected_points_to_whoever_made_it(text, language, expected):
    assert expected in one(text, language)


def test_events_aid_for_people_in_a_country_reaches_the_country():
    found = one("Laksmi mengatakan pemerintah Indonesia akan menyalurkan bantuan kemanusiaan kepada para pengungsi di "
                "Bangladesh melalui Program Pangan Dunia.", "id")
    assert ("AID", "Indonesia", "Bangladesh", "planned", "2024-06-19", "article") in found


def test_events_a_group_introduced_by_its_description_acts_under_that_word():
    found = one("Police traced the intrusion to a criminal group known as Black Harbor. In a message, the group "
                "demanded $4 million from Kenya.", "en")
    assert ("REQUEST", "Black Harbor", "Kenya", "asserted", "2024-06-19", "article") in found


@pytest.mark.parametrize("text, language, expected", [
    ("India and Sri Lanka have argued over fishing for years. The two governments agreed last year to hold talks.",
     "en", ("AGREE", "India", "Sri Lanka")),
    ("Menteri Laksmi Anggraeni bertemu Menteri Mahbub Rahman Chowdhury di Dhaka. Keduanya sepakat membentuk "
     "kelompok kerja bersama.", "id", ("AGREE", "Laksmi Anggraeni", "Mahbub Rahman Chowdhury")),
])
def test_events_the_two_governments_and_the_two_of_them_are_the_pair_named_before(text, language, expected):
    found = {event[:3] for event in one(text, language)}
    assert expected in found or (expected[0], expected[2], expected[1]) in found


def test_events_an_adjective_before_a_name_is_no_verb_making_it_an_object():
    found = one("Austria's conservative People's Party (ÖVP) agreed on Thursday to form a coalition government with "
                "the Social Democrats (SPÖ).", "en")
    assert ("AGREE", "People's Party", "Social Democrats", "asserted", "2024-06-13", "day") in found


@pytest.mark.parametrize("text, language, expected", [
    ("Russia agreed on Monday to extend the grain corridor.", "en", ("AGREE", "Russia", None)),
    ("Rusia sepakat memperpanjang koridor gandum pada Senin.", "id", ("AGREE", "Russia", None)),
])
def test_events_agreeing_needs_no_named_partner(text, language, expected):
    assert expected in {event[:3] for event in one(text, language)}


def test_events_an_agreement_named_in_passing_is_no_event_without_its_sides():
    assert not one("The agreement was discussed in the press.", "en")


def test_events_an_accusation_of_people_no_name_stands_for_keeps_its_accuser():
    found = one("The Sri Lanka Navy arrested 18 fishermen near Delft Island on Tuesday, accusing them of fishing "
                "illegally.", "en")
    assert ("ACCUSE", "Sri Lanka Navy", None) in {event[:3] for event in found}


@pytest.mark.parametrize("text, expected", [
    ("The White House condemned North Korea's arms deliveries to Russia.", ("AID", "North Korea", "Russia")),
    ("Officials discussed Russia's attack on Ukraine on Monday.", ("ASSAULT", "Russia", "Ukraine")),
])
def test_events_a_possessor_did_the_act_its_noun_names(text, expected):
    found = {event[:3] for event in one(text, "en")}
    assert expected in found
    assert not any(event[0] == expected[0] and event[1] == "White House" for event in found)


@pytest.mark.parametrize("text, language, expected", [
    # The critic comes after "dari"/"from"; the one criticised stands before.
    ("Kunjungan Putin ke Pyongyang menuai kritik dari Jepang.", "id", ("ACCUSE", "Japan", "Vladimir Putin")),
    # A town aid leaves from is no party; where it goes is.
    ("Myanmar mengirim bantuan dari Yangon ke Thailand.", "id", ("AID", "Myanmar", "Thailand")),
    # The one asked is the subject of the clause the request explains.
    ("Britain's National Crime Agency froze two properties in London after a request from Nigerian prosecutors.",
     "en", ("REQUEST", "Nigeria", "National Crime Agency")),
])
def test_events_what_comes_from_where(text, language, expected):
    assert expected in {event[:3] for event in one(text, language)}



@pytest.mark.parametrize("text, language, source", [
    ("The Kenya Shippers Council accused port officials of hiding the scale of the outage.", "en",
     "Kenya Shippers Council"),
    ("Komisi Pemberantasan Korupsi menuding para pejabat itu menerima suap.", "id", "Komisi Pemberantasan Korupsi"),
])
def test_events_an_accusation_of_people_no_name_stands_for_keeps_its_accuser(text: str, language: str,
                                                                              source: str) -> None:
    assert ("ACCUSE", source, None) in {event[:3] for event in one(text, language)}


def test_events_a_worry_with_no_one_to_blame_is_no_accusation() -> None:
    assert not any(event[0] == "ACCUSE" for event in one("Farmers in Java are worried about the dry season.", "en"))


@pytest.mark.parametrize("text, language, source", [
    ("President Vladimir Putin ratified the water-sharing treaty on Tuesday.", "en", "Vladimir Putin"),
    ("Parlemen Mongolia meratifikasi perjanjian perdagangan itu pekan lalu.", "id", "Parlemen Mongolia"),
])
def test_events_a_ratification_is_an_agreement_by_whoever_ratifies(text: str, language: str, source: str) -> None:
    assert any(event[0] == "AGREE" and event[1] == source for event in one(text, language))


@pytest.mark.parametrize("text, language, expected", [
    ("The Myanmar army denied that its soldiers had attacked the village of Kyauk Taw.", "en",
     ("ASSAULT", "Myanmar", "denied")),
    ("Angkatan Laut Filipina membantah bahwa awaknya menembaki kapal nelayan Vietnam di dekat Palawan.", "id",
     ("ASSAULT", "Angkatan Laut Filipina", "denied")),
])
def test_events_people_serving_an_organisation_act_for_it(text: str, language: str, expected: tuple) -> None:
    assert expected in {(e[0], e[1], e[3]) for e in one(text, language)}


def test_events_an_act_noun_describing_another_noun_is_no_act_but_a_protest_letter_is():
    found = one("Uni Eropa akan menurunkan tarif impor baja dari Vietnam tahun depan. "
                "Kapal itu digiring ke pelabuhan Songkhla, sekitar 300 kilometer dari lokasi penangkapan. "
                "Bupati Nunukan, Rahmat Lamba, mengirim surat protes kepada Kedutaan Besar Filipina pada Sabtu.", "id")
    assert not any(e[0] == "AID" for e in found)  # an import tariff is no delivery
    assert not any(e[0] == "COERCE" for e in found)  # the place of an arrest is no arrest
    assert any(e[0] == "PROTEST" and e[1] == "Rahmat Lamba" for e in found)


def test_events_a_bare_word_for_those_who_serve_a_body_acts_for_the_body_named_last():
    found = one("Polda Metro Jaya membubarkan massa di depan gedung DPR. Koordinator mahasiswa, Fikri Alfarizi, "
                "menuding polisi memukul sejumlah mahasiswa.", "id")
    assert any(e[0] == "ASSAULT" and e[1] == "Polda Metro Jaya" for e in found)
    found = one("The Bolivian National Police arrested 12 miners near Potosi on Monday. A union leader said "
                "officers had fired rubber bullets at protesters.", "en")
    assert any(e[0] == "ASSAULT" and e[1] == "Bolivian National Police" for e in found)


def test_events_russian_word_forms_dates_and_control_are_read():
    found = one("МОСКВА - Президент России Владимир Путин в среду встретился с лидером КНДР Ким Чен Ыном. "
                "Ким Чен Ын пригласил Путина посетить КНДР в следующем году. "
                "США и Южная Корея обвиняют Пхеньян в поставках оружия России. "
                "Москва и Пхеньян эти обвинения отрицают.", "ru")
    # "с лидером КНДР Ким Чен Ыном": the country names the office; Kim is the one met, on that Wednesday
    assert ("CONSULT", "Vladimir Putin", "Kim Jong Un", "asserted", "2024-06-19", "day") in found
    assert not any(e[0] == "CONSULT" and e[2] == "North Korea" and e[1] == "Vladimir Putin" and e[4] == "2024-06-19"
                   for e in found)
    # the one invited is the one to visit; the one accused is the one said to supply
    assert any(e[:3] == ("CONSULT", "Vladimir Putin", "North Korea") and e[4] == "2025" for e in found)
    assert any(e[:3] == ("AID", "North Korea", "Russia") for e in found)
    assert ("ACCUSE", "United States", "North Korea") in {e[:3] for e in found}
    assert not any(e[0] == "ACCUSE" and e[1] in ("Russia", "North Korea") for e in found)  # "эти обвинения" told before


def test_events_korean_roles_come_from_particles_and_dates_from_numbered_parts():
    found = one("미국은 북한이 러시아에 포탄을 제공했다고 주장했다. 푸틴 대통령은 지난 13일 김정은 국무위원장과 "
                "회담했다. 푸틴 대통령은 다음 달 베이징을 방문할 예정이다.", "ko")
    assert ("AID", "North Korea", "Russia", "reported", "2024-06-19", "article") in found  # the US only claims it
    assert ("CONSULT", "Vladimir Putin", "Kim Jong Un", "asserted", "2024-06-13", "day") in found
    assert ("CONSULT", "Vladimir Putin", "China", "planned", "2024-07", "month") in found


def test_events_korean_verb_after_what_was_said_is_the_speakers():
    found = one("미국 국무부는 19일 러시아가 북한의 미사일 개발을 돕고 있다고 비난했다.", "ko")
    assert ("ACCUSE", "United States Department of State", "Russia") in {e[:3] for e in found}
    assert ("AID", "Russia", "North Korea") in {e[:3] for e in found}  # what the ministry says Russia does
    assert not any(e[0] == "ACCUSE" and e[1] == "Russia" for e in found)


def test_events_own_state_in_a_warning_is_the_speakers_side_not_the_one_warned():
    found = one("North Korea's Foreign Ministry issued a statement on Monday. The ministry warned that Pyongyang "
                "would respond to any U.S. provocation with overwhelming force.", "en")
    threats = {e[:3] for e in found if e[0] == "THREATEN"}
    assert threats and all(target != "North Korea" for _, _, target in threats)
    assert any(target == "United States" for _, _, target in threats)


def test_events_a_verb_coordinated_with_the_first_shares_its_subject_and_a_deal_its_sides():
    found = one("Kementerian Luar Negeri Korea Selatan mengecam kunjungan Belousov dan menuding Moskow melanggar "
                "resolusi Dewan Keamanan PBB.", "id")
    assert ("ACCUSE", "Ministry of Foreign Affairs of South Korea", "Russia") in {e[:3] for e in found}
    assert not any(e[0] == "ACCUSE" and e[1] == "Andrei Belousov" for e in found)
    found = one("В пятницу Цой Сон Хи и Сергей Лавров провели переговоры и подписали план консультаций.", "ru")
    assert ("AGREE", "Choe Son Hui", "Sergei Lavrov") in {e[:3] for e in found}


def test_events_a_person_known_by_one_name_is_found_again():
    extracted = article("Gempa mengguncang Kabupaten Poso pada Kamis, menurut Badan Nasional Penanggulangan Bencana "
                        "(BNPB). Kepala BNPB Suharyanto meninjau lokasi pengungsian di Lore Utara pada Sabtu. "
                        "Suharyanto dan Gubernur Sulawesi Tengah Anwar Hafid kemudian menggelar rapat koordinasi di "
                        "Palu.", published="2024-06-19", language="id")
    assert ("CONSULT", "Suharyanto", "Anwar Hafid") in {e[:3] for e in events_of(extracted)}
    # GeoNames lists "Kabupaten Poso" among Palu's names: the regency is not the city
    names = {r["entity_id"]: r["name"] for r in extracted.entities}
    assert all(names[m["entity_id"]] != "Palu" for m in extracted.mentions if m["surface"] == "Kabupaten Poso")


def test_events_he_or_she_is_the_person_the_previous_sentence_is_about():
    found = one("Mohammad Rezaei, an adviser to Iranian President Masoud Pezeshkian, gave an interview on Sunday. "
                "He accused Israel of sabotage at the Natanz site.", "en")
    assert ("ACCUSE", "Mohammad Rezaei", "Israel") in {e[:3] for e in found}
    found = one("Juru bicara junta, Zaw Min Tun, yang didampingi Wakil Menteri Luar Negeri Than Swe, berbicara kepada "
                "wartawan di Naypyidaw. Ia menuding Arakan Army menyerang desa-desa di Rakhine.", "id")
    assert ("ACCUSE", "Zaw Min Tun", "Arakan Army") in {e[:3] for e in found}


def test_events_the_one_who_responds_by_asking_asks_and_what_was_answered_is_no_subject():
    found = one("Pasukan marinir kedua negara menggelar latihan di Pusat Latihan Tempur Marinir Situbondo. Kementerian "
                "Luar Negeri Tiongkok menanggapi latihan tersebut dengan meminta Indonesia tidak memperkeruh situasi.",
                "id")
    requests = {e[:3] for e in found if e[0] == "REQUEST"}
    assert requests == {("REQUEST", "Ministry of Foreign Affairs of China", "Indonesia")}


def test_events_a_strike_on_a_day_is_a_protest_and_is_demanding_is_no_passive():
    found = one("The Santos Dockworkers' Union began a strike on Tuesday. The union is demanding a 9% pay rise from "
                "the Brazilian Association of Port Terminals.", "en")
    assert ("PROTEST", "Santos Dockworkers' Union", None) in {e[:3] for e in found}
    assert not any(e[0] == "ASSAULT" for e in found)
    assert ("REQUEST", "Santos Dockworkers' Union", "Brazilian Association of Port Terminals") in {e[:3] for e in found}


def test_events_acts_told_again_and_pairs_point_back_and_plans_date_no_later_act():
    extracted = article("North Korean leader Kim Jong Un hosted Russian Defense Minister Andrei Belousov in Pyongyang "
                        "on Friday. The two discussed expanding military cooperation. South Korea said North Korea had "
                        "shipped thousands of containers of munitions to Russia. Washington and Seoul have condemned "
                        "the arms transfers. Sergei Lavrov is expected to visit North Korea next month, the Kremlin "
                        "said. Ukraine's President Volodymyr Zelenskyy urged Western allies to respond.",
                        published="2024-06-19", language="en")
    found = set(events_of(extracted))
    names = {r["entity_id"]: r["name"] for r in extracted.entities}
    discussed = {(names.get(e["source_id"]), names.get(e["target_id"]), e["date"]) for e in extracted.events
                 if e["trigger"] == "discussed"}
    assert discussed == {("Kim Jong Un", "Andrei Belousov", "2024-06-14")}  # "The two", on the Friday told before
    assert {("ACCUSE", "United States", "North Korea"), ("ACCUSE", "South Korea", "North Korea")} <= \
        {e[:3] for e in found}  # "the arms transfers" were North Korea's
    assert ("REQUEST", "Volodymyr Zelensky", None, "asserted", "2024-06-19", "article") in found


def test_events_a_name_after_the_verb_of_what_is_asked_is_not_the_one_asked():
    found = one("Presiden Ukraina Volodymyr Zelensky mendesak sekutu Barat menanggapi pengerahan pasukan Korea Utara.",
                "id")
    assert ("REQUEST", "Volodymyr Zelensky", None) in {e[:3] for e in found}
    assert not any(e[0] == "REQUEST" and e[2] is not None for e in found)


def test_events_a_state_summoning_an_envoy_summons_whoever_tells_of_it():
    found = one("National Security Adviser Chang Ho-jin told reporters that Seoul would summon the Russian ambassador.",
                "en")
    assert ("PROTEST", "South Korea", "Russia", "planned") in {e[:4] for e in found}
    found = one("White House spokeswoman Dana Whitfield said on Monday that the United States condemned Iran.", "en")
    assert ("ACCUSE", "Dana Whitfield", "Iran") in {e[:3] for e in found}  # words, not an act: the speaker's


def test_events_a_pact_signed_by_two_is_one_act_between_them_with_its_own_modality():
    found = one("South Korea said on Thursday it would consider supplying weapons to Ukraine, in response to a pact "
                "signed by Russia and North Korea.", "en")
    agreements = {e[:4] for e in found if e[0] == "AGREE"}
    assert agreements == {("AGREE", "Russia", "North Korea", "reported")}
    found = one("Korea Selatan mempertimbangkan memasok senjata ke Ukraina sebagai tanggapan atas perjanjian yang "
                "ditandatangani Rusia dan Korea Utara.", "id")
    assert {e[:4] for e in found if e[0] == "AGREE"} == {("AGREE", "Russia", "North Korea", "asserted")}


def test_events_arriving_in_a_capital_visits_its_state_and_going_home_visits_no_one():
    found = one("Russian President Vladimir Putin arrived in Pyongyang early on Wednesday. Sergei Lavrov flew back to "
                "Moscow on Monday. Kim Jong Un will travel to Vladivostok next week.", "en")
    visits = {e[:3] for e in found if e[0] == "CONSULT"}
    assert visits == {("CONSULT", "Vladimir Putin", "North Korea"), ("CONSULT", "Kim Jong Un", "Vladivostok")}
    found = one("Presiden Rusia Vladimir Putin tiba di Pyongyang pada Rabu.", "id")
    assert ("CONSULT", "Vladimir Putin", "North Korea") in {e[:3] for e in found}


def test_events_troops_sent_somewhere_are_deployed_and_aid_sent_is_aid():
    found = one("Badan intelijen Korea Selatan menyebut sekitar 10.000 tentara Korea Utara telah dikirim ke Rusia. "
                "Bantuan Jepang dikirim ke Poso.", "id")
    assert ("MOBILIZE", "Korean People's Army", "Russia", "reported") in {e[:4] for e in found}
    assert not any(e[0] == "MOBILIZE" and e[2] == "Poso" for e in found)
    found = one("South Korea's spy agency said about 10,000 North Korean troops have been sent to Russia.", "en")
    assert ("MOBILIZE", "Korean People's Army", "Russia", "reported") in {e[:4] for e in found}


def test_events_one_the_parse_makes_the_next_verbs_subject_acts_in_it():
    found = one("Ukraina menuduh Korea Utara memasok rudal balistik ke Rusia.", "id")
    assert {("ACCUSE", "Ukraine", "North Korea"), ("AID", "North Korea", "Russia")} <= {e[:3] for e in found}
    assert not any(e[0] == "AID" and e[1] == "Ukraine" for e in found)


def test_events_one_summoned_to_hear_a_protest_does_not_protest():
    found = one("Korea Selatan memanggil duta besar Rusia untuk memprotes kerja sama militer tersebut. Seoul mendesak "
                "Moskow untuk menghentikan pengiriman senjata.", "id")
    assert ("PROTEST", "South Korea", "Russia") in {e[:3] for e in found}
    assert not any(e[0] == "PROTEST" and e[1] == "Russia" for e in found)
    assert ("REQUEST", "South Korea", "Russia") in {e[:3] for e in found}


def test_events_ongoing_acts_in_ing_form_are_read_and_a_date_does_not_break_control():
    found = one("U.S. Secretary of State Antony Blinken said Russia was providing North Korea with space technology.",
                "en")
    assert ("AID", "Russia", "North Korea", "reported") in {e[:4] for e in found}
    found = one("The U.S. State Department accused Moscow on Wednesday of supplying refined petroleum to North "
                "Korea.", "en")
    assert ("AID", "Russia", "North Korea") in {e[:3] for e in found}
    assert not any(e[0] == "AID" and e[1] == "United States Department of State" for e in found)


def test_events_russian_troops_and_aid_sent_where_the_destination_comes_first():
    found = one("По данным южнокорейской разведки, КНДР направила в Россию около 10 тысяч военнослужащих. "
                "Россия направила в КНДР гуманитарную помощь. США ввели санкции против российских компаний.", "ru")
    assert ("MOBILIZE", "North Korea", "Russia", "reported") in {e[:4] for e in found}
    assert ("AID", "Russia", "North Korea") in {e[:3] for e in found}
    assert ("SANCTION", "United States", None) in {e[:3] for e in found}


def test_events_korean_country_written_with_its_envoys_title_is_read():
    found = one("외교부는 게오르기 지노비예프 주한 러시아대사를 초치했다.", "ko")
    assert ("PROTEST", "Ministry of Foreign Affairs of South Korea", "Georgy Zinoviev") in {e[:3] for e in found}
    assert ("PROTEST", "Ministry of Foreign Affairs of South Korea", "Russia") in {e[:3] for e in found}


def test_events_korean_bodies_named_by_their_kind_act_and_arrests_need_no_named_party():
    found = one("고용노동부는 파업이 길어지면 협력업체의 피해가 커질 수 있다며 노조에 교섭 재개를 촉구했다. "
                "울산경찰청은 이날 오후 조합원 3명을 현행범 체포했다고 밝혔다.", "ko")
    assert ("REQUEST", "고용노동부", None) in {e[:3] for e in found}
    assert ("COERCE", "울산경찰청", None) in {e[:3] for e in found}
    found = one('울산경찰청은 "체포 과정에서 조합원을 폭행한 사실은 없다"며 의혹을 부인했다.', "ko")
    assert not any(e[0] == "COERCE" for e in found)  # the noun names no arrest made here


def test_events_russian_person_after_a_titled_region_is_found_again_in_another_case():
    extracted = article("Губернатор Оренбургской области Денис Паслер в понедельник посетил Орск. Президент России "
                        "Владимир Путин в воскресенье провел совещание по видеосвязи с Паслером.", language="ru",
                        published="2024-06-19")
    names = {r["entity_id"]: r["name"] for r in extracted.entities}
    assert [names[m["entity_id"]] for m in extracted.mentions if m["surface"] == "Паслером"] == ["Денис Паслер"]
    # "по видеосвязи" is no "по словам": the one met stands after it
    assert ("CONSULT", "Vladimir Putin", "Денис Паслер") in {e[:3] for e in events_of(extracted)}


def test_events_cooperation_named_by_a_plain_noun_is_between_its_owners_not_the_critics():
    found = one("Jepang, Korea Selatan, dan Amerika Serikat mengeluarkan pernyataan bersama yang mengecam kerja sama "
                "militer Rusia dan Korea Utara.", "id")
    assert not any(e[0] == "COOPERATE" and e[1] in ("Japan", "South Korea", "United States") for e in found)
    assert any(e[0] == "COOPERATE" and e[2] == "North Korea" for e in found)


def test_events_the_group_is_the_organisation_named_just_before():
    found = one("U.S. envoy Steve Witkoff presented a new proposal on Thursday. Senior Hamas official Basem Naim said "
                "the group had not rejected Witkoff's proposal and was only seeking amendments.", "en")
    assert ("REJECT", "Hamas", "Steve Witkoff", "denied") in {e[:4] for e in found}


def test_events_sending_envoys_is_a_visit_and_an_act_naming_a_time_is_no_act():
    found = one("Kepala Dinas Perdagangan Sumatera Utara, Siti Rahmawati, mengatakan pihaknya akan mengirim delegasi "
                "pengusaha ke Penang pada 30 Agustus.", "id")
    assert {e[0] for e in found} == {"CONSULT"}
    found = one("Angkatan Laut Thailand menangkap 13 nelayan. Angkatan Laut Thailand membantah bahwa personelnya "
                "memukul para nelayan saat penangkapan berlangsung.", "id")
    assert sum(e[0] == "COERCE" for e in found) == 1  # the arrest told first, not the one "saat penangkapan"


def test_events_both_countries_condemning_each_condemn_the_third():
    found = one("Japan and South Korea met in Tokyo on Monday. Both countries condemned North Korea's missile launch.",
                "en")
    accusations = {e[:3] for e in found if e[0] == "ACCUSE"}
    assert accusations == {("ACCUSE", "Japan", "North Korea"), ("ACCUSE", "South Korea", "North Korea")}


def test_events_the_three_countries_are_the_three_named_most():
    found = one("Japan, South Korea and the United States issued a joint statement on Monday. The three countries "
                "also condemned North Korea's arms transfers to Russia.", "en")
    assert {e[1] for e in found if e[0] == "ACCUSE" and e[2] == "North Korea"} == \
        {"Japan", "South Korea", "United States"}


def test_events_korean_act_named_only_as_what_a_question_is_about_is_no_act():
    found = one("네벤자 대사는 그러나 북한군 파병 여부를 확인하지도, 부인하지도 않았다. 러시아와 북한은 조약 제4조를 "
                "파병의 근거로 내세우고 있다.", "ko")
    assert not any(e[0] == "MOBILIZE" for e in found)
    found = one("국가정보원은 북한이 러시아에 약 1만명의 병력을 파병했다고 밝혔다.", "ko")
    assert ("MOBILIZE", "North Korea", "Russia") in {e[:3] for e in found}


def test_events_russian_cooperation_taken_further_and_warnings_to_a_named_state():
    found = one("По словам Лаврова, Россия будет расширять сотрудничество с Пхеньяном в торговле и науке. Стороны "
                "обсудили расширение сотрудничества. Министр обороны США Ллойд Остин предупредил Пхеньян, что "
                "участие северокорейских солдат в боевых действиях сделает КНДР стороной конфликта.", "ru")
    assert ("COOPERATE", "Russia", "North Korea") in {e[:3] for e in found}
    assert sum(e[0] == "COOPERATE" for e in found) == 1  # the noun only names what was discussed
    assert ("THREATEN", "Lloyd Austin", "North Korea") in {e[:3] for e in found}


def test_events_russian_bodies_act_under_their_own_names():
    found = one("Федерация независимых профсоюзов России призвала Министерство промышленности и торговли России "
                "вмешаться в ситуацию.", "ru")
    assert ("REQUEST", "Федерация независимых профсоюзов России", "Министерство промышленности и торговли России") \
        in {e[:3] for e in found}


def test_events_russian_arrests_by_a_branchs_officers_and_of_a_firms_director():
    extracted = article("Во вторник председатель ячейки профсоюза Андрей Карпенко был задержан сотрудниками ГУ МВД по "
                        "Челябинской области. В ГУ МВД заявили, что Карпенко подозревается в организации акции. "
                        "Сотрудники Следственного комитета задержали директора подрядной компании «Уралгидрострой-О» "
                        "Виктора Лаптева.", language="ru", published="2024-06-19")
    names = names_of(extracted)
    branch = names["ГУ МВД по Челябинской области"]
    assert branch["type"] == "ORG"
    assert sum(m["entity_id"] == branch["entity_id"] for m in extracted.mentions) == 2  # "В ГУ МВД" too
    found = {e[:3] for e in events_of(extracted)}
    assert ("COERCE", "ГУ МВД по Челябинской области", "Андрей Карпенко") in found
    # the firm only says whose director he is
    assert ("COERCE", "Следственного комитета", "Виктора Лаптева") in found
    assert not any(e[0] == "COERCE" and e[2] == "Уралгидрострой-О" for e in found)


def test_events_korean_officer_named_with_body_and_title_acts_and_protests():
    found = one("김홍균 외교부 제1차관은 지난 21일 게오르기 지노비예프 주한 러시아대사를 외교부 청사로 불러 북한군 파병에 "
                "강력히 항의했다.", "ko")
    assert ("PROTEST", "김홍균", "Georgy Zinoviev") in {e[:3] for e in found}
    assert not any(e[1] == "Ministry of Foreign Affairs of South Korea" for e in found)  # it only names his office
    # the army compounded with the noun did the dispatch, not the one who protests it
    assert ("MOBILIZE", "Korean People's Army") in {e[:2] for e in found}
    assert not any(e[0] == "MOBILIZE" and e[1] == "김홍균" for e in found)


def test_events_korean_act_inside_a_warning_is_its_own_subjects_and_may_be_hypothetical():
    found = one("로버트 우드 주유엔 미국 차석대사는 러시아가 북한군에 군복을 지급했다고 밝히고, 북한군이 며칠 안에 쿠르스크 "
                "전선에 투입될 수 있다고 경고했다. 발레리 게라시모프 러시아군 총참모장은 북한군 장병들의 공로를 높이 "
                "평가했다.", "ko")
    assert ("MOBILIZE", "Korean People's Army", None, "hypothetical") in {e[:4] for e in found}
    assert not any(e[1] == "로버트 우드" and e[2] == "United States" for e in found)  # his own office's country
    assert ("SUPPORT", "Valery Gerasimov", "Korean People's Army") in {e[:3] for e in found}


def test_events_korean_strike_held_is_a_protest_and_a_strike_only_named_is_not():
    found = one("전국금속노동조합 동해조선해양지부가 16일 울산 본사 조선소에서 전면 파업에 들어갔다. 고용노동부는 파업이 "
                "길어지면 협력업체의 피해가 커질 수 있다고 밝혔다.", "ko")
    assert ("PROTEST", "전국금속노동조합 동해조선해양지부", None) in {e[:3] for e in found}
    assert not any(e[0] == "PROTEST" and e[1] == "고용노동부" for e in found)


def test_events_a_demand_after_a_summons_is_made_of_the_one_summoned():
    found = one("В пятницу Министерство иностранных дел Республики Корея вызвало посла России и потребовало немедленно "
                "вывести северокорейских военных с российской территории.", "ru")
    assert ("REQUEST", "Ministry of Foreign Affairs of South Korea", "Russia") in {e[:3] for e in found}


def test_events_russian_lists_after_a_title_deals_cases_releases_and_relief():
    extracted = article("Губернатор Оренбургской области Денис Паслер посетил Орск. Президент России Владимир Путин в "
                        "воскресенье провел совещание по видеосвязи с Паслером и главой МЧС Александром Куренковым. "
                        "Киргизия и Таджикистан согласовали описание еще 24 километров границы. Следственный комитет "
                        "России возбудил уголовное дело о халатности. МЧС России в среду направило в Орск еще 300 "
                        "спасателей.", language="ru", published="2024-04-10")
    found = {e[:3] for e in events_of(extracted)}
    assert ("CONSULT", "Vladimir Putin", "Александром Куренковым") in found  # the second one met, after a title
    assert ("AGREE", "Kyrgyzstan", "Tajikistan") in found
    assert ("ACCUSE", "Следственный комитет России", None) in found
    assert any(e[0] == "AID" and e[2] == "Orsk" for e in found)


def test_events_russian_participle_aside_names_no_subject():
    found = one("Министерство иностранных дел КНДР в заявлении, распространенном агентством ЦТАК, обвинило Сеул в "
                "распространении провокационных слухов.", "ru")
    assert ("ACCUSE", "Ministry of Foreign Affairs of North Korea", "South Korea") in {e[:3] for e in found}
    assert not any(e[1] == "Korean Central News Agency" for e in found)


def test_events_russian_names_spelled_like_clause_words_and_subjects_left_unsaid():
    extracted = article("В тот же день Шойгу провел отдельные переговоры с министром обороны КНДР Но Гван Чхолем. "
                        "Министерство транспорта России в среду сообщило, что согласовало с Главным управлением "
                        "гражданской авиации КНДР запуск прямых рейсов. Заместитель министра иностранных дел КНДР Ким "
                        "Сон Гён обвинил Вашингтон. Пхеньян дополнительно направил в Курскую область около трех тысяч "
                        "военнослужащих.", language="ru", published="2025-06-19")
    found = {e[:3] for e in events_of(extracted)}
    assert ("CONSULT", "Sergei Shoigu", "No Kwang Chol") in found  # "Но" is his name, not "but"
    assert ("AGREE", "Министерство транспорта России", "Главным управлением гражданской авиации КНДР") in found
    assert "Kim Song" not in names_of(extracted)  # a longer name than the Kim Song listed
    assert ("MOBILIZE", "North Korea", "Kursk Oblast") in found


def test_events_korean_troops_sent_captures_offensives_and_listed_partners():
    found = one("국정원에 따르면 북한은 지난해 10월부터 러시아에 약 1만1천명의 병력을 보냈다. 젤렌스키 대통령은 "
                "우크라이나군이 쿠르스크 지역에서 북한군 병사 2명을 생포했다고 발표했다. 외교부는 이번 조치를 미국, 일본 등 "
                "우방국과 긴밀히 공조해 마련했다고 설명했다.", "ko")
    assert ("MOBILIZE", "North Korea", "Russia", "reported") in {e[:4] for e in found}
    assert any(e[0] == "COERCE" and e[2] == "Korean People's Army" for e in found)
    partners = {e[2] for e in found if e[0] == "COOPERATE" and e[1] == "Ministry of Foreign Affairs of South Korea"}
    assert partners == {"United States", "Japan"}  # both names of the list take its closing particle
    found = one("한국 정부는 북한에 식량을 보냈다.", "ko")
    assert not any(e[0] == "MOBILIZE" for e in found)  # food is no troops


def test_events_russian_received_by_a_titled_holder_reports_and_prisoners_taken():
    extracted = article("Секретарь Совета безопасности России Сергей Шойгу был принят председателем Государственных дел "
                        "КНДР Ким Чен Ыном. В субботу начальник Генерального штаба Валерий Герасимов доложил Путину о "
                        "завершении операции. В январе ВСУ взяли в плен в Курской области двух северокорейских солдат.",
                        language="ru", published="2025-06-19")
    found = {e[:3] for e in events_of(extracted)}
    assert ("CONSULT", "Kim Jong Un", "Sergei Shoigu") in found  # the one named after the passive receives
    assert ("CONSULT", "Valery Gerasimov", "Vladimir Putin") in found
    assert any(e[0] == "COERCE" and e[1] == "Armed Forces of Ukraine" for e in found)


def test_events_every_name_of_a_described_list_is_a_target():
    found = one("Кроме того, правительство Южной Кореи ввело санкции против владивостокской судоходной компании "
                "«Примтрансфлот Восток», северокорейской внешнеторговой компании «Раджин Кёнхын» и ее директора Чон "
                "Мён Чхоля.", "ru")
    targets = {e[2] for e in found if e[0] == "SANCTION" and e[1] == "South Korea"}
    assert {"Примтрансфлот Восток", "Раджин Кёнхын"} <= targets


def test_events_korean_act_named_only_as_a_price_trend_or_subject_is_none():
    found = one('조태열 외교부 장관은 "러시아가 파병의 대가로 북한에 군사 기술을 이전한다면 추가 제재를 검토하겠다"고 말했다. '
                "정부는 25일 북·러 군사 협력 동향을 점검했다. 북한과 러시아는 보건 분야 협력에 관한 협정에도 서명했다.",
                "ko")
    assert not any(e[0] == "MOBILIZE" for e in found)
    assert not any(e[0] == "COOPERATE" for e in found)
    assert any(e[0] == "AGREE" and {e[1], e[2]} == {"North Korea", "Russia"} for e in found)  # the deal is signed


def test_events_korean_criticism_of_a_listed_group_reaches_every_member():
    found = one("라브로프 장관은 같은 날 원산에서 기자회견을 열고 한국과 미국, 일본이 북한을 겨냥한 군사적 연합을 확대하고 "
                "있다고 비판했다.", "ko")
    targets = {e[2] for e in found if e[0] == "ACCUSE" and e[1] == "Sergei Lavrov"}
    assert targets == {"South Korea", "United States", "Japan"}


def test_events_russian_threats_made_and_findings_not_recognised():
    found = one("Официальный представитель Государственного департамента США Тэмми Брюс пригрозила новыми ограничениями. "
                "Мария Захарова заявила, что Москва не признает выводы группы.", "ru")
    assert any(e[0] == "THREATEN" and e[1] in ("Tammy Bruce", "Тэмми Брюс") for e in found)  # no one named
    assert any(e[0] == "REJECT" and e[1] == "Russia" and e[3] == "asserted" for e in found)


def test_events_a_possibility_warned_of_takes_the_date_of_the_warning():
    found = one("로버트 우드 주유엔 미국 차석대사는 30일 안보리 공개회의에서 러시아를 비난했다. 그는 북한군이 며칠 안에 "
                "쿠르스크 전선에 투입될 수 있다고 경고했다.", "ko", published="2024-10-31")
    assert ("MOBILIZE", "Korean People's Army", None, "hypothetical", "2024-10-30", "day") in found


def test_events_korean_arms_handed_over_in_a_relative_clause_are_aid():
    found = one("참석자들은 북한이 러시아에 170㎜ 자주포를 추가로 넘긴 정황에 우려를 나타냈다. 이전에도 비슷한 일이 있었다.", "ko")
    assert ("AID", "North Korea", "Russia") in {e[:3] for e in found}
    assert sum(e[0] == "AID" for e in found) == 1  # "이전에도" is "before", no transfer


def test_events_korean_news_verbs_beyond_the_first_lexicon():
    found = article("타스통신은 러시아와 북한이 오는 27일부터 모스크바와 평양을 잇는 직항 여객기를 정기 운항하기로 했다고 "
                    "전했다. 합참은 북한이 15일 동해상으로 탄도미사일 1발을 발사했다고 밝혔다. 경찰은 과잉 진압 의혹을 "
                    "부인했다.", language="ko")
    kinds = {(e[0], e[1], e[2]) for e in events_of(found)}
    assert ("COOPERATE", "Russia", "North Korea") in kinds or ("COOPERATE", "North Korea", "Russia") in kinds
    assert any(e[0] == "MOBILIZE" and e[1] == "North Korea" for e in events_of(found))
    assert not any(e[0] == "REJECT" for e in events_of(found))  # a denial tells of the act denied, it refuses nothing


def test_events_russian_news_verbs_beyond_the_first_lexicon():
    found = article("Министерство иностранных дел Украины назвало решение Пхеньяна грубым нарушением международного "
                    "права. По данным разведки, Россия обучает военных КНДР на полигонах в Приморье. "
                    "КНДР в среду запустила баллистическую ракету в сторону Японского моря.", language="ru")
    kinds = {(e[0], e[1], e[2]) for e in events_of(found)}
    assert ("ACCUSE", "Ministry of Foreign Affairs of Ukraine", "North Korea") in kinds
    assert ("COOPERATE", "Russia", "North Korea") in kinds
    assert any(e[0] == "MOBILIZE" and e[1] == "North Korea" for e in events_of(found))


def test_events_aid_given_is_an_event_when_its_receiver_is_named_only_in_another_sentence():
    found = article("A cyclone destroyed thousands of homes on Tanna, Vanuatu, on Sunday. Foreign Minister Penny "
                    "Wong said Canberra would provide an initial 5 million Australian dollars in emergency aid. "
                    "She also said Canberra would provide an update on Friday.", language="en")
    aid = [e for e in events_of(found) if e[0] == "AID"]
    assert [(e[1], e[3]) for e in aid] == [("Australia", "planned")]  # an update given is no aid


def test_events_russian_assets_frozen_of_a_businessman_and_an_act_called_a_violation_words_later():
    found = article("Япония в пятницу заморозила активы российского предпринимателя Игоря Сухорукова. Министерство "
                    "иностранных дел Украины назвало решение Пхеньяна направить в Россию новых военных грубым "
                    "нарушением резолюций Совета Безопасности ООН.", language="ru")
    kinds = {(e[0], e[1], e[2]) for e in events_of(found)}
    assert ("SANCTION", "Japan", "Игоря Сухорукова") in kinds  # a businessman is titled like a lawyer or director
    assert ("ACCUSE", "Ministry of Foreign Affairs of Ukraine", "North Korea") in kinds


@pytest.mark.parametrize("text, language", [
    ("Посольство России в Сеуле в пятницу распространило заявление, в котором назвало санкции Южной Кореи "
     "недружественным шагом.", "ru"),
    ("주한 러시아대사관은 이날 성명을 내고 한국의 독자 제재를 비난했다. 러시아 대사관은 대응 조치를 예고했다.", "ko"),
    ("Kedutaan Besar Rusia di Seoul mengecam sanksi Korea Selatan pada Jumat.", "id"),
    ("The Russian Embassy in Seoul on Friday condemned South Korea's new sanctions.", "en"),
])
def test_events_an_embassy_is_one_actor_of_its_state_posted_to_another(text, language):
    found = article(text, language=language)
    embassies = [m for m in found.mentions if m["entity_id"].startswith("new:org:embassy-")]
    assert embassies and {m["entity_id"] for m in embassies} == {"new:org:embassy-rus-kor"}
    assert names_of(found)["Embassy of Russia in South Korea"]["country"] == "RUS"
    assert ("ACCUSE", "Embassy of Russia in South Korea", "South Korea") in {e[:3] for e in events_of(found)}


def test_events_korean_owner_of_a_verbs_object_is_its_other_side_not_its_doer():
    found = article("김정은 위원장은 이날 연설을 하고 미국의 제재를 비난했다. 북한의 러시아 파병이 확인됐다.",
                    language="ko")
    kinds = {e[:3] for e in events_of(found)}
    assert ("ACCUSE", "Kim Jong Un", "United States") in kinds
    assert any(e[0] == "MOBILIZE" and e[1] == "North Korea" for e in events_of(found))  # a noun's owner did it
    found = article("나토 사무총장은 북한군 파병을 규탄했다.", language="ko")
    kinds = {e[:3] for e in events_of(found)}
    assert ("ACCUSE", "NATO", "Korean People's Army") in kinds  # a bare name takes its noun's accusative
    assert ("MOBILIZE", "Korean People's Army", None) in kinds


def test_events_a_russian_region_with_a_government_acts_and_is_acted_on():
    found = article("Во вторник Приморье передало Расону две тысячи тонн муки. Северокорейские рабочие прибыли в "
                    "Амурскую область.", language="ru")
    assert ("AID", "Primorsky Krai", "Rason") in {e[:3] for e in events_of(found)}


def test_events_russian_someone_received_is_a_meeting_but_a_decision_taken_is_not():
    found = article("В субботу Путин принял в Кремле министра иностранных дел КНДР Цой Сон Хи. Ким Чен Ын принял "
                    "решение направить в Курскую область саперов.", language="ru")
    kinds = {e[:3] for e in events_of(found)}
    assert ("CONSULT", "Vladimir Putin", "Choe Son Hui") in kinds
    assert not any(e[0] == "CONSULT" and e[1] == "Kim Jong Un" for e in events_of(found))



def test_events_the_agency_is_the_body_the_article_named_with_that_word_whatever_its_canonical_name():
    found = article("Badan Antariksa Rusia menerima delegasi Korea Utara di Moskow pada Senin. Sehari kemudian, badan itu mengecam "
                    "Amerika Serikat atas sanksi baru.", language="id")
    accusations = [e for e in events_of(found) if e[0] == "ACCUSE"]
    assert accusations and accusations[0][1:3] == ("Roscosmos", "United States")


def test_events_korean_ministry_official_acts_for_the_ministry_and_cooperation_asked_to_stop_is_no_cooperation():
    found = article("외교부 당국자는 이날 러시아를 비판했다. 이 당국자는 북한과 러시아에 협력 중단을 촉구했다.", language="ko")
    events = {e[:3] for e in events_of(found)}
    assert ("ACCUSE", "Ministry of Foreign Affairs of South Korea", "Russia") in events
    assert {("REQUEST", "Ministry of Foreign Affairs of South Korea", "North Korea"),
            ("REQUEST", "Ministry of Foreign Affairs of South Korea", "Russia")} <= events
    assert not [e for e in events if e[0] == "COOPERATE"]


def test_events_korean_verb_joined_to_a_planned_one_is_planned_and_keeps_its_coming_date():
    found = article("한국과 미국, 일본은 오는 5일 서울에서 외교차관 협의회를 열어 공동 대응 방안을 논의할 예정이다.",
                    published="2024-11-29", language="ko")
    meetings = [e for e in events_of(found) if e[0] == "CONSULT"]
    assert meetings and {(e[3], e[4]) for e in meetings} == {("planned", "2024-12-05")}  # not last year's 5 December


def test_events_korean_act_takes_the_date_written_before_it_not_the_one_of_the_verb_after():
    found = article("북한이 지난해 10월부터 러시아에 군대를 파병해 왔다는 사실을 28일 처음으로 공식 인정했다.",
                    published="2025-04-28", language="ko")
    dispatches = [e for e in events_of(found) if e[0] == "MOBILIZE"]
    assert dispatches and (dispatches[0][4], dispatches[0][5]) == ("2024-10", "month")


def test_events_korean_region_between_a_name_and_its_title_is_the_office_not_a_party():
    found = article("박경일 북한 육해운성 부상이 24일 하바롭스크에서 드미트리 데메신 하바롭스크주 주지사와 만나 물류 협력 방안을 "
                    "논의했다.", language="ko")
    meetings = {e[:3] for e in events_of(found) if e[0] == "CONSULT"}
    assert ("CONSULT", "박경일", "드미트리 데메신") in meetings or ("CONSULT", "박경일", "Dmitry Demeshin") in meetings
    assert not [m for m in meetings if m[2] == "Khabarovsk Krai"]  # the governor's region, not a second party


def test_events_korean_firefighters_offered_to_another_state_are_planned_aid():
    found = article("싱가포르 정부는 이날 인도네시아에 소방 항공기 2대와 진화 전문 인력을 보내겠다고 제안했다.", language="ko")
    assert ("AID", "Singapore", "Indonesia", "planned") in {e[:4] for e in events_of(found)}
