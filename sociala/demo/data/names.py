"""First and last names by origin, sex and (for Swedish first names) generation.

Common names only, so that no combination points at a real person; persons get
them at random. Polish surnames take the feminine form for women.
"""

from __future__ import annotations

SWEDISH = "swedish"
FINNISH = "finnish"
SOMALI = "somali"
ARABIC = "arabic"
KURDISH_TURKISH = "kurdish_turkish"
PERSIAN = "persian"
ERITREAN = "eritrean"
ASSYRIAN = "assyrian"
BOSNIAN = "bosnian"
POLISH = "polish"
LATIN_AMERICAN = "latin_american"

ORIGINS = [
    SWEDISH,
    FINNISH,
    SOMALI,
    ARABIC,
    KURDISH_TURKISH,
    PERSIAN,
    ERITREAN,
    ASSYRIAN,
    BOSNIAN,
    POLISH,
    LATIN_AMERICAN,
]

# Swedish first names by the decade band a person was born in.
SWEDISH_FEMALE = {
    "old": (
        "Anna Margareta Elisabeth Kerstin Birgitta Ingrid Gunnel Karin Britt Marianne Inger Ulla Gun "
        "Barbro Elsa Greta Maj-Britt Ingegerd Siv Astrid Gunvor Rut Signe Solveig Märta Dagmar Aina "
        "Sonja Elvy Ann-Marie"
    ).split(),
    "middle": (
        "Eva Maria Christina Susanne Annika Helena Anneli Camilla Lena Åsa Malin Sofia Jenny Linda Karin "
        "Petra Therese Johanna Sara Anna Emma Cecilia Ulrika Monica Pia Katarina Jessica Marie Frida Lisa"
    ).split(),
    "adult": (
        "Emma Sara Johanna Linda Jenny Hanna Elin Ida Sofia Frida Lisa Amanda Matilda Josefin Caroline "
        "Louise Malin Therese Jessica Emelie Sandra Rebecka Anna Julia Moa Linnéa Evelina Alexandra Tove Elina"
    ).split(),
    "young": (
        "Ella Alice Maja Wilma Alva Saga Elsa Vera Astrid Ebba Olivia Agnes Freja Lilly Stella Signe "
        "Selma Tilda Nora Ellen Alma Lova Leah Juni Majken Ines Svea Edith Iris Hedda"
    ).split(),
}
SWEDISH_MALE = {
    "old": (
        "Karl Lars Erik Bengt Sven Gösta Stig Lennart Rolf Bo Åke Nils Olof Ingvar Gunnar Bertil Rune Sture "
        "Arne Kjell Göran Hans Leif Sune Evert Tore Harry Birger Karl-Erik Lars-Göran"
    ).split(),
    "middle": (
        "Anders Johan Per Mikael Peter Thomas Magnus Fredrik Daniel Jonas Stefan Martin Andreas Mattias "
        "Patrik Niklas Henrik Jörgen Ulf Mats Tobias Joakim Christer Håkan Robert Marcus Jimmy Kristoffer"
    ).split(),
    "adult": (
        "Johan Daniel Andreas Marcus Erik Alexander Simon Viktor Christoffer Jonathan Sebastian Oscar "
        "Emil Niklas Robin Rasmus Anton Fredrik Martin Joakim Filip Jesper Kevin Dennis Linus Jacob"
    ).split(),
    "young": (
        "William Liam Noah Hugo Lucas Oliver Elias Adam Ludvig Vincent Leo Axel Theo Nils Arvid Melvin "
        "Olle Gustav Albin Sixten Malte Edvin Vidar Harry Alfred Charlie Wilmer Frans Love Valter"
    ).split(),
}
SWEDISH_LAST = (
    "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson Pettersson "
    "Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson Olofsson Lindström Lindqvist "
    "Lindgren Berg Axelsson Bergström Lundberg Lind Lundgren Lundqvist Mattsson Berglund Fredriksson "
    "Sandberg Henriksson Forsberg Sjöberg Wallin Engström Eklund Danielsson Lundin Håkansson Björk Bergman "
    "Gunnarsson Holm Wikström Samuelsson Isaksson Fransson Bergqvist Nyström Holmberg Arvidsson Löfgren "
    "Söderberg Nyberg Blomqvist Claesson Nordström Mårtensson Lundström Viklund Björklund Eliasson "
    "Pålsson Berggren Sandström Lund Nordin Ström Åberg Hermansson Ekström Holmgren Sundberg Hedlund "
    "Dahlberg Hellström Sjögren Abrahamsson Falk Martinsson Öberg Andreasson Strand Månsson"
).split()

FEMALE = {
    FINNISH: (
        "Aino Anneli Tuula Marja Päivi Sirpa Leena Riitta Pirjo Helena Satu Tiina Sanna Kaisa Eeva Liisa "
        "Aila Raija Ritva Heli"
    ).split(),
    SOMALI: (
        "Amina Fadumo Hodan Ifrah Sahra Hibo Muna Nimco Ayaan Khadra Asha Hawa Sagal Ubah Deeqa Ruqia "
        "Sucaad Naima Leyla Idil"
    ).split(),
    ARABIC: (
        "Fatima Maryam Zainab Noor Layla Rania Huda Amal Salma Yasmin Hiba Sara Rasha Lina Dalia Aya Reem "
        "Ghada Sana Rawan"
    ).split(),
    KURDISH_TURKISH: (
        "Zeynep Elif Leyla Berivan Rojda Dilan Ayşe Fatma Emine Hatice Nesrin Gulistan Sibel Derya Evin "
        "Hêvî Rojin Melek"
    ).split(),
    PERSIAN: (
        "Shirin Parisa Mina Nasrin Azadeh Roya Leila Mahsa Sara Yasaman Niloufar Fereshteh Golnaz Bahar "
        "Samira Donya"
    ).split(),
    ERITREAN: "Selam Helen Senait Mebrat Rahel Lidia Saba Tsega Winta Feven Semhar Hiwet".split(),
    ASSYRIAN: "Ninorta Shamiram Sonia Rita Nahrain Marta Janet Layla Sabina Nineb Mariam Lucia".split(),
    BOSNIAN: "Amra Lejla Selma Emina Mirela Jasmina Ana Ivana Maja Dragana Vesna Azra Elma".split(),
    POLISH: (
        "Anna Katarzyna Magdalena Agnieszka Joanna Monika Ewa Małgorzata Aleksandra Karolina Zofia Natalia"
    ).split(),
    LATIN_AMERICAN: (
        "María Carolina Paula Camila Daniela Valentina Gabriela Francisca Javiera Lorena Ximena Isabel"
    ).split(),
}
MALE = {
    FINNISH: (
        "Matti Pekka Juha Kari Timo Jari Mikko Antti Heikki Markku Jukka Seppo Esa Tapio Ilkka Kalevi "
        "Veikko Pentti Toni Jussi"
    ).split(),
    SOMALI: (
        "Abdi Mohamed Ahmed Abdirahman Hassan Mahad Liban Abdullahi Yusuf Ismail Farah Omar Abdikadir "
        "Mukhtar Said Bashir Abdiaziz Khalid Guled Hamza"
    ).split(),
    ARABIC: (
        "Mohammed Ahmad Ali Omar Hussein Khaled Yousef Ibrahim Mahmoud Karim Hassan Mustafa Samir Bilal "
        "Tariq Adnan Nabil Rami Ziad Jamal"
    ).split(),
    KURDISH_TURKISH: (
        "Mehmet Ahmet Mustafa Ali Hasan Hüseyin Ibrahim Serdar Kemal Baran Rojhat Dilovan Emre Murat "
        "Yusuf Zana Kawa Azad"
    ).split(),
    PERSIAN: (
        "Reza Ali Mohammad Hossein Mehdi Amir Farshid Behrouz Kourosh Babak Arash Dariush Navid Omid Saeed"
    ).split(),
    ERITREAN: "Yonas Daniel Samuel Tesfay Habtom Kidane Biniam Filmon Michael Yohannes Mehari Tekle".split(),
    ASSYRIAN: "Gabriel Ninos Sargon Aziz Yacoub Shamoun Ashur Yusuf Fadi George Johannes Robil".split(),
    BOSNIAN: "Emir Adnan Haris Mirza Dino Nikola Marko Stefan Goran Zoran Dragan Mehmed Amar".split(),
    POLISH: "Piotr Krzysztof Tomasz Paweł Michał Marcin Łukasz Jakub Kamil Adam Mateusz Andrzej".split(),
    LATIN_AMERICAN: (
        "José Carlos Juan Luis Diego Felipe Sebastián Andrés Pablo Cristián Matías Rodrigo"
    ).split(),
}
LAST = {
    FINNISH: (
        "Virtanen Korhonen Mäkinen Nieminen Mäkelä Hämäläinen Laine Heikkinen Koskinen Järvinen Lehtonen "
        "Lehtinen Saarinen Salminen Heinonen Niemi Kinnunen Salonen Turunen Salo Laitinen Tuominen "
        "Rantanen Karjalainen Jokinen Mattila Savolainen Lahtinen Ahonen"
    ).split(),
    SOMALI: (
        "Ali Hassan Mohamed Ahmed Abdi Farah Osman Warsame Jama Nur Omar Hussein Abdullahi Ibrahim Yusuf "
        "Aden Mohamud Egal Hirsi Dahir Abdirahman Elmi Ismail Isse"
    ).split(),
    ARABIC: (
        "Al-Hassan Haddad Khalil Saleh Mansour Ibrahim Hamdan Nasser Darwish Haidar Abbas Jaber Yassin "
        "Qasim Aziz Hamid Shams Karim Sabbagh Al-Ali Hussein Rahman Mahmoud Othman"
    ).split(),
    KURDISH_TURKISH: (
        "Yılmaz Kaya Demir Şahin Çelik Aydın Öztürk Arslan Doğan Kurt Özdemir Aslan Tekin Kaplan Koç "
        "Polat Güler Acar Ahmadi Mustafa Rashid Amin"
    ).split(),
    PERSIAN: (
        "Ahmadi Hosseini Karimi Rezaei Mohammadi Moradi Jafari Rahimi Sadeghi Ghorbani Hashemi Najafi "
        "Farahani Tehrani Kazemi Akbari Ebrahimi Zamani"
    ).split(),
    ERITREAN: (
        "Tesfay Gebremedhin Haile Tekle Kidane Berhane Asmerom Ghebreyesus Woldu Mehari Habte Negash"
    ).split(),
    ASSYRIAN: "Gabriel Hanna Isa Barsom Yakob Malke Danho Shamoun Lahdo Afram Aho Bahdi".split(),
    BOSNIAN: (
        "Hodžić Hadžić Begić Delić Kovačević Jovanović Petrović Nikolić Marković Popović Mehmedović "
        "Hasanović Halilović Mujić"
    ).split(),
    POLISH: (
        "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak "
        "Dąbrowski Kozłowski Mazur Krawczyk"
    ).split(),
    LATIN_AMERICAN: (
        "González Muñoz Rojas Díaz Pérez Soto Contreras Silva Martínez Sepúlveda Morales Rodríguez López "
        "Fuentes"
    ).split(),
}
# Born before 1955 → old, before 1980 → middle, before 2003 → adult, else young.
SWEDISH_GENERATIONS = (("old", 1955), ("middle", 1980), ("adult", 2003))


def generation(birth_year: int) -> str:
    for name, before in SWEDISH_GENERATIONS:
        if birth_year < before:
            return name
    return "young"


def first_names(origin: str, sex: str, birth_year: int) -> list[str]:
    """The first names to draw from for a person of this origin, sex and birth year."""
    if origin == SWEDISH:
        table = SWEDISH_FEMALE if sex == "female" else SWEDISH_MALE
        return table[generation(birth_year)]
    return (FEMALE if sex == "female" else MALE)[origin]


def last_names(origin: str) -> list[str]:
    return SWEDISH_LAST if origin == SWEDISH else LAST[origin]


def surname_for(surname: str, sex: str) -> str:
    """Polish surnames in -ski/-cki/-dzki take -ska/-cka/-dzka for women."""
    if sex == "female" and surname.endswith("ki"):
        return surname[:-1] + "a"
    return surname


# Who lives where: weights of origins per district (invented, but shaped like the city's districts).
_INNER = {
    SWEDISH: 82,
    FINNISH: 4,
    SOMALI: 1,
    ARABIC: 2,
    KURDISH_TURKISH: 1,
    PERSIAN: 4,
    ERITREAN: 0,
    ASSYRIAN: 1,
    BOSNIAN: 1,
    POLISH: 3,
    LATIN_AMERICAN: 2,
}
_SUBURB = {
    SWEDISH: 62,
    FINNISH: 7,
    SOMALI: 4,
    ARABIC: 7,
    KURDISH_TURKISH: 5,
    PERSIAN: 4,
    ERITREAN: 2,
    ASSYRIAN: 2,
    BOSNIAN: 3,
    POLISH: 2,
    LATIN_AMERICAN: 2,
}
_SOUTHWEST = {
    SWEDISH: 72,
    FINNISH: 6,
    SOMALI: 2,
    ARABIC: 4,
    KURDISH_TURKISH: 3,
    PERSIAN: 5,
    ERITREAN: 1,
    ASSYRIAN: 1,
    BOSNIAN: 2,
    POLISH: 2,
    LATIN_AMERICAN: 2,
}
ORIGIN_WEIGHTS = {
    "Bromma": _INNER,
    "Enskede-Årsta-Vantör": _SUBURB,
    "Farsta": _SUBURB,
    "Hägersten-Liljeholmen": _SOUTHWEST,
    "Hässelby-Vällingby": _SUBURB,
    "Kungsholmen": _INNER,
    "Norrmalm": _INNER,
    "Rinkeby-Kista": {
        SWEDISH: 15,
        FINNISH: 4,
        SOMALI: 24,
        ARABIC: 16,
        KURDISH_TURKISH: 9,
        PERSIAN: 5,
        ERITREAN: 8,
        ASSYRIAN: 7,
        BOSNIAN: 3,
        POLISH: 4,
        LATIN_AMERICAN: 5,
    },
    "Skarpnäck": _SOUTHWEST,
    "Skärholmen": {
        SWEDISH: 30,
        FINNISH: 5,
        SOMALI: 8,
        ARABIC: 16,
        KURDISH_TURKISH: 12,
        PERSIAN: 6,
        ERITREAN: 3,
        ASSYRIAN: 8,
        BOSNIAN: 5,
        POLISH: 4,
        LATIN_AMERICAN: 3,
    },
    "Spånga-Tensta": {
        SWEDISH: 30,
        FINNISH: 4,
        SOMALI: 16,
        ARABIC: 14,
        KURDISH_TURKISH: 9,
        PERSIAN: 6,
        ERITREAN: 6,
        ASSYRIAN: 6,
        BOSNIAN: 3,
        POLISH: 3,
        LATIN_AMERICAN: 3,
    },
    "Södermalm": {**_INNER, SWEDISH: 78, FINNISH: 5, LATIN_AMERICAN: 3, KURDISH_TURKISH: 2},
    "Älvsjö": _SOUTHWEST,
    "Östermalm": _INNER,
}
# Older residents are more often Swedish- or Finnish-born: these factors multiply the weights.
ELDERLY_FACTORS = {SWEDISH: 3.0, FINNISH: 2.5}
