"""Indonesian personal names by regional naming tradition, for demo data.

Faker's ``id_ID`` locale mixes names without regard to region, so a demo
participant from Tapanuli would rarely carry a Batak marga and a Balinese one
never a birth-order name. Officials reviewing demo screens notice that at
once; these curated lists keep the demo believable.

A full name is ``[prefix] first [second] [family]``: each tradition says
which parts it uses and how often. Birth-order names (Balinese), noble titles
(Andi, Teuku/Cut, Lalu/Baiq, Tengku) and Arabic-derived openers
(Muhammad, Siti, Nur) are prefixes; Batak marga, Minahasan fam, Ambonese,
Papuan and Nusa Tenggara clan names are family names. Names repeated within a
list are deliberate: they are simply more common.

The lists favour names of people born 1985-2007, the apprentices' ages.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class NamingTradition:
    """How one regional tradition builds a full name."""

    key: str
    male_first: tuple[str, ...]
    female_first: tuple[str, ...]
    male_second: tuple[str, ...] = ()
    female_second: tuple[str, ...] = ()
    family: tuple[str, ...] = ()
    male_prefixes: tuple[str, ...] = ()
    female_prefixes: tuple[str, ...] = ()
    prefix_rate: float = 0.0
    second_rate: float = 0.0
    family_rate: float = 0.0

    def first_names(self, sex: str) -> tuple[str, ...]:
        """Given names for ``sex`` ('M' or 'F')."""
        return self.male_first if sex == "M" else self.female_first

    def second_names(self, sex: str) -> tuple[str, ...]:
        """Second given names for ``sex``; empty when the tradition has none."""
        return self.male_second if sex == "M" else self.female_second

    def prefixes(self, sex: str) -> tuple[str, ...]:
        """Titles or openers for ``sex``; empty when the tradition has none."""
        return self.male_prefixes if sex == "M" else self.female_prefixes

    def full_name(self, sex: str, rng: random.Random) -> str:
        """A name in this tradition; called a million times, so kept lean."""
        draw = rng.random
        parts: list[str] = []
        for names, rate in (
            (self.prefixes(sex), self.prefix_rate),
            (self.first_names(sex), 1.0),
            (self.second_names(sex), self.second_rate),
            (self.family, self.family_rate),
        ):
            if names and (rate >= 1.0 or draw() < rate):
                part = names[int(draw() * len(names))]
                # "Siti Siti", "Wijaya Wijaya": drop a word that repeats.
                if not parts or not parts[-1].endswith(part):
                    parts.append(part)
        return " ".join(parts)


def _words(text: str) -> tuple[str, ...]:
    """Split a whitespace-separated list; ``_`` joins a multi-word name."""
    return tuple(word.replace("_", " ") for word in text.split())


def _phrases(text: str) -> tuple[str, ...]:
    """Split a comma-separated list, for entries of more than one word."""
    return tuple(part.strip() for part in text.split(",") if part.strip())


# Arabic-derived openers used across Muslim-majority traditions.
_MUSLIM_MALE_OPENERS = _phrases("Muhammad, Muhammad, Muhammad, Ahmad, Ahmad, Abdul, Mohammad")
_MUSLIM_FEMALE_OPENERS = _phrases("Siti, Siti, Siti, Nur, Nur, Nurul")

JAVANESE = NamingTradition(
    key="javanese",
    male_first=_words(
        "Budi Agus Joko Slamet Bambang Sugeng Eko Dwi Tri Wahyu Teguh Hadi Heru "
        "Bayu Dimas Aditya Rizky Fajar Bagas Galih Yoga Andika Rudi Yudi Anang "
        "Setyo Arif Ilham Hendro Suparman Sutrisno Sumarno Mulyono Sugiyanto "
        "Purwanto Haryanto Wahyudi Nanang Bagus Danang Rendy Satria Yusuf Dani"
    ),
    female_first=_words(
        "Sri Sri Dewi Endang Rini Tuti Ayu Dwi Tri Eka Indah Ratna Putri Nurul "
        "Wulan Fitri Novita Dinda Tiara Anisa Nabila Aulia Puspita Retno Wahyu "
        "Yuli Kartika Rahayu Sulastri Sumiati Suharti Lestari Winarni Siti "
        "Intan Mega Anggi Nanda Desi Yuni"
    ),
    male_second=_words(
        "Santoso Setiawan Prasetyo Nugroho Wibowo Saputra Pratama Kurniawan "
        "Hidayat Susanto Purnomo Widodo Wicaksono Hartono Gunawan Susilo "
        "Cahyono Kuncoro Yulianto Sasongko Pamungkas Utomo Raharjo Ramadhan "
        "Firmansyah Wijaya Prabowo Sutanto Nugraha Permadi Adi Wardana"
    ),
    female_second=_words(
        "Wahyuni Lestari Rahayu Astuti Handayani Wulandari Kartika Suryani "
        "Yuliani Purwanti Ningsih Utami Pratiwi Setyowati Maharani Susanti "
        "Anggraini Rahmawati Safitri Puspitasari Kusumawati Hastuti Agustina "
        "Permatasari Novitasari Wijayanti Sulistyowati Andriani Ramadhani"
    ),
    male_prefixes=_MUSLIM_MALE_OPENERS,
    female_prefixes=_MUSLIM_FEMALE_OPENERS,
    prefix_rate=0.08,
    second_rate=0.8,
)

SUNDANESE = NamingTradition(
    key="sundanese",
    male_first=_words(
        "Asep Ujang Dadang Cecep Deden Dede Usep Yayan Jajang Ade Agus Dedi "
        "Iwan Wawan Rian Rizal Ridwan Hendra Yusuf Ilham Rizky Fikri Galih "
        "Gilang Irfan Yogi Dicky Aep Engkus Ajat Ruslan Dimas Reza Fajar"
    ),
    female_first=_words(
        "Euis Neng Imas Cucu Eneng Yanti Lilis Nining Enok Ai Rina Siti Ani "
        "Wulan Rika Dewi Nenden Tati Iis Yeni Elis Rini Sri Putri Nisa Salsa "
        "Fitri Resti Silvi Yulia Anisa Tiara"
    ),
    male_second=_words(
        "Saepudin Saputra Hidayat Kurniawan Gunawan Permana Suhendar Sukmana "
        "Rahmat Hermawan Nugraha Sopian Mulyana Rohman Firmansyah Sumarna "
        "Setiadi Jaelani Supriatna Ramdani Maulana Kusnadi Sunandar Hidayatullah "
        "Sudrajat Wiguna Kosasih"
    ),
    female_second=_words(
        "Komariah Rohaeti Nurjanah Kurniasih Sumiati Rahmawati Herawati Mulyani "
        "Marlina Nurhasanah Suryani Fitriani Sulastri Rosita Juariah Maryam "
        "Mulyati Nuraeni Sholihat Lestari Rahayu Pertiwi Apriliani Nurlela"
    ),
    male_prefixes=_MUSLIM_MALE_OPENERS,
    female_prefixes=_MUSLIM_FEMALE_OPENERS,
    prefix_rate=0.12,
    second_rate=0.75,
)

MADURESE = NamingTradition(
    key="madurese",
    male_first=_words(
        "Holil Sholeh Mat Hosnan Syaiful Faruk Rofiq Hasan Hamid "
        "Sulaiman Jufri Zainal Busri Imam Ainur Fathor Mahrus Junaidi"
    ),
    female_first=_words(
        "Holilah Hosnol Sitti Maimunah Rohmah Fatimah Halimah Zubaidah Aminah "
        "Khotijah Muzayyanah Fathiyah Nur Sumarlik Jumaati Hafsah"
    ),
    male_second=_words("Rahman Hasan Syafi'i Rasyid Hamid Hidayat Ansori Ridwan Fauzi Wahid Bahri"),
    female_second=_words("Hasanah Jannah Aini Faridah Hidayati Mufidah Azizah Rahmah Khoiriyah"),
    male_prefixes=_phrases("Moh., Moh., Abd., Mohammad, Ach."),
    female_prefixes=_phrases("Siti, Siti, Nur"),
    prefix_rate=0.35,
    second_rate=0.6,
)

BETAWI = NamingTradition(
    key="betawi",
    male_first=_words(
        "Udin Mamat Mansur Rojali Jaelani Sabeni Mandra Salim Ridwan Rohim Sarip "
        "Bahrudin Sanusi Mukhtar Zakaria Rahmat Kholil Imron Syarif Haikal Faisal"
    ),
    female_first=_words(
        "Rohaye Romlah Juleha Munaroh Zaenab Maesaroh Fatimah Mursidah Hindun "
        "Aisyah Mardiah Nurlaela Rosidah Khadijah Salmah Syifa Nabila Azzahra"
    ),
    male_second=_words("Hasan Saputra Ramadhan Hidayat Maulana Firdaus Syahputra Ibrahim Saleh"),
    female_second=_words("Sari Hasanah Rahmawati Safitri Fauziah Nurhayati Azizah Maharani"),
    male_prefixes=_MUSLIM_MALE_OPENERS,
    female_prefixes=_MUSLIM_FEMALE_OPENERS,
    prefix_rate=0.15,
    second_rate=0.5,
)

BATAK = NamingTradition(
    key="batak",
    male_first=_words(
        "Rudy Benny Tigor Parlindungan Sahat Maruli Jonathan Daniel Samuel David "
        "Ronald Hotman Togar Binsar Martua Poltak Roy Hendra Andreas Yosua "
        "Timothy Christian Fernando Ricardo Sandro Horas Bonar Erwin Immanuel"
    ),
    female_first=_words(
        "Maria Rosmawati Lasmaria Tiurma Rumondang Debora Sarah Ruth Grace "
        "Christina Yohana Monika Erni Romauli Nurmala Melati Dameria Friska "
        "Agnes Natalia Lidya Theresia Veronika Rianti Octavia"
    ),
    male_second=_words("Hamonangan Parulian Mangasi Tua Pardamean Halomoan"),
    female_second=_words("Rohana Bintang Lestari Uli Sari Rotua"),
    family=_words(
        "Siregar Nasution Simanjuntak Harahap Lubis Sitompul Hutapea Simatupang "
        "Pardede Sinaga Situmorang Panjaitan Hutagalung Sihombing Silalahi "
        "Manurung Tampubolon Napitupulu Pasaribu Sitorus Simbolon Marpaung "
        "Nainggolan Siahaan Hutabarat Sembiring Ginting Tarigan Purba Saragih "
        "Damanik Simanullang Gultom Aritonang Rambe Hasibuan Daulay Pohan"
    ),
    second_rate=0.15,
    family_rate=0.97,
)

MINANG = NamingTradition(
    key="minang",
    male_first=_words(
        "Afrizal Yusrizal Erizal Syafrizal Zulfikar Fauzan Rahmat Hendri Irwan "
        "Yuswardi Andri Doni Ferdi Rizki Aldi Fadhil Hafiz Ikhsan Rinaldi "
        "Zulkifli Syahrul Dedi Refki Fadli"
    ),
    female_first=_words(
        "Yusnidar Rosmawati Nurhasanah Fitri Elvira Yulia Desmawati Rahmi "
        "Nofriani Yelmi Rosnida Mardiana Silvia Vivi Ratih Mutia Annisa Suci "
        "Dwi Febrina Rahma Gusnita Yenni"
    ),
    male_second=_words(
        "Syahputra Putra Hamdani Ilham Akbar Mulyadi Effendi Saputra Rahman "
        "Chaniago Piliang Tanjung Koto Sikumbang Jambak"
    ),
    female_second=_words("Putri Sari Yanti Wati Ningsih Hayati Rahmadani Oktavia Fitriani Dewi"),
    male_prefixes=_MUSLIM_MALE_OPENERS,
    female_prefixes=_MUSLIM_FEMALE_OPENERS,
    prefix_rate=0.1,
    second_rate=0.65,
)

MALAY = NamingTradition(
    key="malay",
    male_first=_words(
        "Syahrial Zainal Azhar Hamdan Rizal Junaidi Azmi Khairul Syamsul Ismail "
        "Hasbi Firdaus Fadli Arif Zulham Saiful Amri Raja Hafiz Ridho Iqbal"
    ),
    female_first=_words(
        "Nurhaliza Rosnah Zuraida Mariani Salmah Norma Syarifah Aisyah Zuriati "
        "Hasnah Rusmini Juliana Mila Nurul Fatimah Safira Azura Zakiah Rahma"
    ),
    male_second=_words("Abidin Syah Rahman Hakim Arifin Iskandar Effendi Hamzah Hasan Amin"),
    female_second=_words("Hayati Zahara Ningsih Wati Fitri Rahmawati Amelia Handayani Yusnita"),
    male_prefixes=_phrases("Tengku, Wan, Raja, Muhammad, Muhammad"),
    female_prefixes=_phrases("Tengku, Wan, Siti, Siti, Nur"),
    prefix_rate=0.14,
    second_rate=0.6,
)

ACEHNESE = NamingTradition(
    key="acehnese",
    male_first=_words(
        "Fadli Zulfikar Munawar Khairul Irwandi Mukhlis Fauzan Husaini Razali "
        "Taufik Rahmat Safrizal Mahdi Jamaluddin Azwar Reza Haikal Nazar Rizki "
        "Syahrul Zulkarnain Iqbal Maulana"
    ),
    female_first=_words(
        "Nurul Rahmah Fitriani Maulida Nurhayati Safrina Mutia Intan Rizka "
        "Zahra Nadia Rahmi Syarifah Nurjannah Raudhah Ulfa Humaira Riska"
    ),
    male_second=_words("Akbar Saputra Fahmi Hidayat Ilyas Yusuf Hamdani Abdullah Husin"),
    female_second=_words("Rahmawati Zahara Fitria Husna Aini Safitri Wahyuni Liza"),
    male_prefixes=_phrases("Teuku, Muhammad, Muhammad, Muhammad"),
    female_prefixes=_phrases("Cut, Cut Nyak, Siti, Nurul"),
    prefix_rate=0.3,
    second_rate=0.6,
)

BUGIS_MAKASSAR = NamingTradition(
    key="bugis_makassar",
    male_first=_words(
        "Arsyad Baso Akbar Syamsul Ilham Amiruddin Nurdin Jamaluddin Syahrir "
        "Haeruddin Fadli Irfan Ridwan Saharuddin Asri Rusdi Alimuddin Kamaruddin "
        "Basri Muhlis Syarif Takdir Sukri Firman Rahmat"
    ),
    female_first=_words(
        "Hasnah Nurhayati Haerani Sitti Rahmawati Nurmiati Hasriani Sumarni "
        "Asriani Megawati Ramlah Hasnawati Nurjannah Harmiati Irmawati Suriani "
        "Jumriani Nurfadillah Fitriani Musdalifah Israwati Nurul"
    ),
    male_second=_words("Hamzah Mappa Daeng Rahman Makmur Tahir Yusuf Rauf Abbas Tandi Saleh"),
    female_second=_words("Sari Hamzah Rahman Wahyuni Amalia Nurdin Tenri Sulastri"),
    male_prefixes=_phrases("Andi, Andi, Muhammad, Muh., Abdul"),
    female_prefixes=_phrases("Andi, Andi, Sitti, Nur, St."),
    prefix_rate=0.25,
    second_rate=0.5,
)

BALINESE = NamingTradition(
    key="balinese",
    # Birth order: Wayan/Putu/Gede first-born, Made/Kadek second, Nyoman/
    # Komang third, Ketut fourth; first and second children are most common.
    male_first=_words(
        "Agus Adi Arya Bagus Dharma Surya Eka Dwi Wira Putra Yoga Krisna Rai "
        "Dewa Indra Bayu Sastra Tirta Ardana Artha"
    ),
    female_first=_words(
        "Ayu Sri Dewi Wulan Eka Dwi Intan Pradnya Kartika Yuni Sinta "
        "Candra Ratih Mirah Asih Anik Rai Sekar Devi"
    ),
    male_second=_words(
        "Suardana Sudarsana Wirawan Mahendra Artawan Adnyana Saputra Wijaya "
        "Sanjaya Permana Suarjana Darmawan Sutrisna Yasa Widiana Putra Antara "
        "Arimbawa Suputra Ardika"
    ),
    female_second=_words(
        "Suartini Sukmawati Ariani Lestari Kartini Damayanti Suastini Widiantari "
        "Pratiwi Astiti Puspitasari Sari Yuliantari Handayani Purnamasari "
        "Wahyuni Anggreni Sudiarti"
    ),
    male_prefixes=_phrases(
        "I Wayan, I Wayan, I Putu, I Putu, I Gede, I Gede, I Made, I Made, "
        "I Kadek, I Kadek, I Nyoman, I Komang, I Ketut, I Gusti Ngurah, "
        "Anak Agung Gede, Ida Bagus"
    ),
    female_prefixes=_phrases(
        "Ni Wayan, Ni Putu, Ni Putu, Ni Luh, Ni Luh Putu, Ni Made, Ni Made, "
        "Ni Kadek, Ni Kadek, Ni Nyoman, Ni Komang, Ni Ketut, Ni Luh Made, "
        "I Gusti Ayu, Anak Agung Ayu, Ida Ayu"
    ),
    prefix_rate=1.0,
    second_rate=0.7,
)

SASAK = NamingTradition(
    key="sasak",
    male_first=_words(
        "Zaini Rusdi Zulkarnain Hairul Sahnan Mahsun Junaidi Fathurrahman "
        "Hamdani Sapri Rizal Ahmadi Khairul Muhsin Suhaimi Mujib Lukman Wahyu"
    ),
    female_first=_words(
        "Fitri Nurul Hikmah Rahmah Sumiati Saenah Marni Hartini Rohani "
        "Zuhriyah Nurhidayah Sri Aminah Hayatun Husnul Rizka Yuliana"
    ),
    male_second=_words("Hadi Rahman Hakim Azhar Hidayat Iskandar Pratama Ramdhani"),
    female_second=_words("Nufus Hidayati Jannah Wardani Lestari Safitri Mardiah"),
    male_prefixes=_phrases("Lalu, Lalu, Muhammad, Muhammad, Muh."),
    female_prefixes=_phrases("Baiq, Baiq, Siti, Nur"),
    prefix_rate=0.3,
    second_rate=0.5,
)

NUSA_TENGGARA_TIMUR = NamingTradition(
    key="nusa_tenggara_timur",
    male_first=_words(
        "Yohanes Yosef Fransiskus Petrus Paulus Agustinus Antonius Marselinus "
        "Dominikus Stefanus Yakobus Kornelis Aloysius Emanuel Frederikus "
        "Gabriel Melkior Oktavianus Yeremias Ferdinandus Adrianus Simon"
    ),
    female_first=_words(
        "Maria Yuliana Margaretha Theresia Elisabeth Agnes Florida Yasinta "
        "Veronika Fransiska Bernadeta Anastasia Katarina Yohana Oktaviana "
        "Martina Selfina Kristina Imelda Sesilia Dorotea Yustina"
    ),
    male_second=_words("Kristian Wilhelmus Nong Bria Seran Nahak"),
    female_second=_words("Goreti Magdalena Ina Ivon Lusia Desi"),
    family=_words(
        "Bria Seran Nahak Tallo Manafe Ndun Kapitan Fernandez Parera Lewar "
        "Ratu Dethan Tefa Nenobais Benu Bulu Lamawuran Wae Sabon Making Djami "
        "Leki Mau Tae da_Costa Fallo Sinlae"
    ),
    second_rate=0.35,
    family_rate=0.85,
)

AMBONESE = NamingTradition(
    key="ambonese",
    male_first=_words(
        "Johanis Yopie Ronny Frans Marthin Jacob Semuel Welem Alfons Nicky "
        "Richard Jefry Kevin Abraham Elias Reinhard Glenn Yusuf Ahmad Hasan"
    ),
    female_first=_words(
        "Magdalena Febiola Merry Nona Eklesia Yuliana Olivia Sherly Ruth Grace "
        "Elsa Selvi Ivone Novita Christy Fatimah Nurlaila Hadija Salma"
    ),
    family=_words(
        "Pattiasina Latuconsina Tuhumury Sahetapy Pelupessy Tahapary Leatemia "
        "Matulessy Manuputty Sopacua Wattimena Lewerissa Ririmasse Siwabessy "
        "Pattimura Tuasikal Tamher Ohorella Rumahlatu Soulisa Louhenapessy "
        "Latumahina Nanlohy Huwae Sahusilawane"
    ),
    family_rate=0.95,
)

MINAHASA = NamingTradition(
    key="minahasa",
    male_first=_words(
        "Jefry Stevi Ronald Frangky Alfa Johny Denny Vicky Rendy Marvel Gerald "
        "Brian Kevin Jonathan Christo Fredy Hendrik Yopi Noldy Rio Tommy Steven"
    ),
    female_first=_words(
        "Stevani Meiske Vanessa Marlyn Deisy Feibe Jessica Angelina Cindy "
        "Vivian Gracia Claudia Prisilia Natasya Olga Sintia Marsha Inggrid Revi"
    ),
    family=_words(
        "Wenas Rumengan Lumentut Sondakh Mandagi Kalalo Pangemanan Tumbelaka "
        "Lumanauw Rompas Supit Sumampouw Rondonuwu Tambuwun Kaunang Lengkong "
        "Pesik Warouw Tumewu Sigar Tangkilisan Walangitan Palar Runtuwene "
        "Mewengkang Kawatu Tumiwa Karundeng"
    ),
    family_rate=0.98,
)

PAPUAN = NamingTradition(
    key="papuan",
    male_first=_words(
        "Yohanis Yulianus Markus Matius Lukas Yakob Piter Nikolas Hans Otto "
        "Benny Elias Yonas Natan Frans Daniel Septinus Demianus Yermias Isak "
        "Amos Titus Habel Obet"
    ),
    female_first=_words(
        "Maria Yuliana Ester Debora Mariana Lea Rahel Martha Ribka Fince Selvi "
        "Yosina Naomi Agustina Dorkas Paulina Yohana Sara Ruth Magdalena"
    ),
    family=_words(
        "Wonda Kogoya Tabuni Wenda Murib Mandowen Rumbiak Wanggai Karubaba "
        "Yikwa Enembe Mote Pigai Giyai Douw Sawaki Ayomi Rumaropen Kambu Mayor "
        "Wenda Gobai Tebai Pekei Yoman Asso Lokobal Wetipo Kossay Mabel "
        "Rumbewas Mansawan Kafiar Wompere Ansaka Sroyer Kaize Gebze Mahuze Ndiken"
    ),
    family_rate=0.97,
)

DAYAK = NamingTradition(
    key="dayak",
    male_first=_words(
        "Agustinus Yohanes Cornelis Markus Stefanus Paulus Lukas Dominikus "
        "Teras Sugianto Yansen Adrianus Bonifasius Christian Hendrikus Kristianus"
    ),
    female_first=_words(
        "Maria Yuliana Elisabeth Veronika Natalia Margaretha Theresia Lusiana "
        "Kristina Anastasia Sisilia Monika Yohana Fransiska Debora"
    ),
    family=_words(
        "Riwut Narang Lawing Ingan Jalung Ngabut Usat Bilung Dohong Ajang "
        "Sabran Lambung Tingang Ngau Anyie Lenjau Laing Apui Uray"
    ),
    family_rate=0.75,
)

BANJAR = NamingTradition(
    key="banjar",
    male_first=_words(
        "Rahmadi Syahrani Jumberi Aberani Fahrani Nordin Misran Hairul Rusdi "
        "Fauzan Rizani Syarifuddin Ahyani Zainudin Arbani Hasan"
    ),
    female_first=_words(
        "Noorhayati Jumiati Rusmini Fitriani Rahmah Masnah Aminah Siti Norhalimah "
        "Rusmilawati Mahrita Noorlaila Jamilah Salasiah Hafizah Rabiatul"
    ),
    male_second=_words("Noor Rahman Hidayat Akbar Syah Fadillah Ramadhan Effendi"),
    female_second=_words("Rahmi Aulia Wati Hayati Noor Azizah Halimah"),
    male_prefixes=_phrases("Gusti, Muhammad, Muhammad, Akhmad, Haji"),
    female_prefixes=_phrases("Gusti, Antung, Siti, Noor"),
    prefix_rate=0.15,
    second_rate=0.55,
)

CHINESE_INDONESIAN = NamingTradition(
    key="chinese_indonesian",
    male_first=_words(
        "Kevin Michael Hendra Steven Ferry William Jonathan Felix Edward Vincent "
        "Andreas Budi Hendrik Rudy Jimmy Johan Kelvin Christopher Edwin Daniel "
        "Ivan Ricky"
    ),
    female_first=_words(
        "Melinda Jessica Felicia Vivian Stephanie Angeline Cynthia Lenny Shinta "
        "Veronica Linda Susan Caroline Michelle Sherly Yenny Lily Natalia "
        "Cindy Fenny Gabriella Novi"
    ),
    male_second=_words("Christian Wijaya Pratama Hartanto Setiadi"),
    female_second=_words("Angelina Christina Octaviani Lestari Marcella"),
    family=_words(
        "Tanoto Wijaya Gunawan Halim Salim Santoso Kusuma Tanuwijaya Setiawan "
        "Hartono Sutanto Lim Tan Ong Liem Gozali Wibisono Susanto Tjandra "
        "Kurniawan Budiman Sugianto Hendrawan Chandra Widjaja Tanjung Lie Gouw"
    ),
    second_rate=0.2,
    family_rate=0.9,
)

MUSLIM_ARABIC = NamingTradition(
    key="muslim_arabic",
    male_first=_words(
        "Rizky Fauzi Hidayat Yusuf Ilham Ibrahim Hasan Husein Ali Umar Usman "
        "Hamzah Ridwan Arif Faisal Hafiz Naufal Farhan Alif Haikal Zaki Fikri "
        "Ikhsan Akbar Rahman Luthfi Syahrul Rafi Irfan Taufik"
    ),
    female_first=_words(
        "Aisyah Fatimah Khadijah Zahra Nabila Salsabila Aulia Anisa Hidayah "
        "Maryam Zainab Rahmah Husna Amalia Nadia Azizah Fitria Syifa Laila "
        "Hana Najwa Khoirunnisa Rahmawati Halimah Safira Ulfa"
    ),
    male_second=_words(
        "Hidayat Maulana Ramadhan Firmansyah Hakim Saputra Akbar Fadillah "
        "Syahputra Alfarizi Habibi Rahman Nugraha Aziz Hafidz Mubarok"
    ),
    female_second=_words(
        "Azzahra Ramadhani Nurhaliza Fitriani Rahmawati Hasanah Aulia Maulida "
        "Syafitri Khairunnisa Amalia Nuraini Hidayati Ningsih Zahira"
    ),
    male_prefixes=_MUSLIM_MALE_OPENERS,
    female_prefixes=_MUSLIM_FEMALE_OPENERS,
    prefix_rate=0.4,
    second_rate=0.7,
)

TRADITIONS: dict[str, NamingTradition] = {
    t.key: t
    for t in (
        JAVANESE,
        SUNDANESE,
        MADURESE,
        BETAWI,
        BATAK,
        MINANG,
        MALAY,
        ACEHNESE,
        BUGIS_MAKASSAR,
        BALINESE,
        SASAK,
        NUSA_TENGGARA_TIMUR,
        AMBONESE,
        MINAHASA,
        PAPUAN,
        DAYAK,
        BANJAR,
        CHINESE_INDONESIAN,
        MUSLIM_ARABIC,
    )
}

# Mix of traditions among people registered in each province (Kemendagri
# codes). Rough shares, informed by census ethnicity data and migration
# (Javanese transmigrants in Lampung, Sumatra and Papua; Bugis along the
# coasts of Kalimantan and eastern Indonesia); enough to look right, not
# statistics.
_PAPUA_MIX = (
    ("papuan", 0.70),
    ("bugis_makassar", 0.08),
    ("javanese", 0.1),
    ("ambonese", 0.05),
    ("nusa_tenggara_timur", 0.05),
    ("minahasa", 0.02),
)
PROVINCE_TRADITIONS: dict[str, tuple[tuple[str, float], ...]] = {
    "11": (("acehnese", 0.85), ("muslim_arabic", 0.08), ("javanese", 0.05), ("batak", 0.02)),
    "12": (
        ("batak", 0.45),
        ("javanese", 0.27),
        ("malay", 0.1),
        ("chinese_indonesian", 0.06),
        ("minang", 0.05),
        ("muslim_arabic", 0.07),
    ),
    "13": (("minang", 0.88), ("javanese", 0.05), ("batak", 0.03), ("muslim_arabic", 0.04)),
    "14": (
        ("malay", 0.35),
        ("javanese", 0.25),
        ("minang", 0.15),
        ("batak", 0.13),
        ("chinese_indonesian", 0.04),
        ("muslim_arabic", 0.08),
    ),
    "15": (("malay", 0.48), ("javanese", 0.3), ("minang", 0.1), ("muslim_arabic", 0.12)),
    "16": (
        ("malay", 0.6),
        ("javanese", 0.28),
        ("muslim_arabic", 0.1),
        ("chinese_indonesian", 0.02),
    ),
    "17": (("malay", 0.5), ("javanese", 0.25), ("minang", 0.08), ("muslim_arabic", 0.17)),
    "18": (("javanese", 0.62), ("malay", 0.18), ("sundanese", 0.1), ("muslim_arabic", 0.1)),
    "19": (("malay", 0.62), ("chinese_indonesian", 0.28), ("javanese", 0.1)),
    "21": (
        ("malay", 0.38),
        ("javanese", 0.2),
        ("chinese_indonesian", 0.14),
        ("batak", 0.1),
        ("minang", 0.1),
        ("muslim_arabic", 0.08),
    ),
    "31": (
        ("betawi", 0.25),
        ("javanese", 0.3),
        ("sundanese", 0.14),
        ("chinese_indonesian", 0.08),
        ("batak", 0.06),
        ("minang", 0.05),
        ("muslim_arabic", 0.12),
    ),
    "32": (
        ("sundanese", 0.74),
        ("javanese", 0.1),
        ("muslim_arabic", 0.1),
        ("betawi", 0.04),
        ("chinese_indonesian", 0.02),
    ),
    "33": (("javanese", 0.88), ("muslim_arabic", 0.1), ("chinese_indonesian", 0.02)),
    "34": (("javanese", 0.9), ("muslim_arabic", 0.07), ("chinese_indonesian", 0.03)),
    "35": (
        ("javanese", 0.72),
        ("madurese", 0.16),
        ("muslim_arabic", 0.1),
        ("chinese_indonesian", 0.02),
    ),
    "36": (
        ("sundanese", 0.5),
        ("javanese", 0.2),
        ("betawi", 0.1),
        ("muslim_arabic", 0.15),
        ("chinese_indonesian", 0.05),
    ),
    "51": (("balinese", 0.88), ("javanese", 0.08), ("muslim_arabic", 0.04)),
    "52": (("sasak", 0.68), ("muslim_arabic", 0.24), ("balinese", 0.04), ("javanese", 0.04)),
    "53": (
        ("nusa_tenggara_timur", 0.9),
        ("muslim_arabic", 0.05),
        ("javanese", 0.03),
        ("bugis_makassar", 0.02),
    ),
    "61": (
        ("malay", 0.35),
        ("dayak", 0.3),
        ("chinese_indonesian", 0.15),
        ("javanese", 0.1),
        ("madurese", 0.05),
        ("bugis_makassar", 0.05),
    ),
    "62": (("dayak", 0.45), ("banjar", 0.25), ("javanese", 0.25), ("muslim_arabic", 0.05)),
    "63": (("banjar", 0.8), ("javanese", 0.14), ("muslim_arabic", 0.04), ("dayak", 0.02)),
    "64": (
        ("javanese", 0.3),
        ("bugis_makassar", 0.25),
        ("banjar", 0.2),
        ("dayak", 0.15),
        ("muslim_arabic", 0.1),
    ),
    "65": (
        ("dayak", 0.35),
        ("bugis_makassar", 0.3),
        ("javanese", 0.15),
        ("banjar", 0.1),
        ("muslim_arabic", 0.1),
    ),
    "71": (
        ("minahasa", 0.75),
        ("muslim_arabic", 0.15),
        ("chinese_indonesian", 0.05),
        ("javanese", 0.05),
    ),
    "72": (
        ("muslim_arabic", 0.4),
        ("bugis_makassar", 0.3),
        ("javanese", 0.15),
        ("minahasa", 0.1),
        ("balinese", 0.05),
    ),
    "73": (
        ("bugis_makassar", 0.86),
        ("muslim_arabic", 0.09),
        ("javanese", 0.03),
        ("chinese_indonesian", 0.02),
    ),
    "74": (
        ("muslim_arabic", 0.5),
        ("bugis_makassar", 0.35),
        ("javanese", 0.12),
        ("balinese", 0.03),
    ),
    "75": (("muslim_arabic", 0.82), ("bugis_makassar", 0.1), ("minahasa", 0.08)),
    "76": (("bugis_makassar", 0.8), ("muslim_arabic", 0.15), ("javanese", 0.05)),
    "81": (
        ("ambonese", 0.65),
        ("muslim_arabic", 0.22),
        ("bugis_makassar", 0.1),
        ("javanese", 0.03),
    ),
    "82": (("muslim_arabic", 0.6), ("ambonese", 0.2), ("bugis_makassar", 0.1), ("javanese", 0.1)),
    "91": _PAPUA_MIX,
    "92": _PAPUA_MIX,
    "93": (
        ("papuan", 0.6),
        ("javanese", 0.2),
        ("bugis_makassar", 0.08),
        ("nusa_tenggara_timur", 0.07),
        ("ambonese", 0.05),
    ),
    "94": (
        ("papuan", 0.8),
        ("bugis_makassar", 0.08),
        ("javanese", 0.06),
        ("nusa_tenggara_timur", 0.06),
    ),
    "95": (("papuan", 0.92), ("bugis_makassar", 0.04), ("javanese", 0.04)),
    "96": _PAPUA_MIX,
}

EMAIL_DOMAINS: tuple[tuple[str, float], ...] = (
    ("gmail.com", 0.78),
    ("yahoo.com", 0.08),
    ("yahoo.co.id", 0.05),
    ("outlook.com", 0.03),
    ("hotmail.com", 0.03),
    ("ymail.com", 0.02),
    ("icloud.com", 0.01),
)
