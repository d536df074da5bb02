package fake

// Product tables for merchants that sell goods. Prices are unit price ranges
// in cents, roughly what the merchants charged in 2024-2025.

var generalItems = []item{
	it("Bounty Select-A-Size Paper Towels, 12 Double Rolls", 2499, 3299),
	it("Charmin Ultra Soft Toilet Paper, 18 Mega Rolls", 2299, 2899),
	it("Tide PODS Laundry Detergent Pacs, 81 Count", 2199, 2799),
	it("Cascade Platinum Dishwasher Detergent Pods, 62 Count", 1799, 2199),
	it("Clorox Disinfecting Wipes Value Pack, 3 x 75 Count", 1099, 1399),
	it("Ziploc Gallon Storage Bags, 75 Count", 899, 1199),
	it("Glad ForceFlex Tall Kitchen Trash Bags, 13 Gallon, 90 Count", 1599, 1999),
	it("Keurig K-Classic Single Serve Coffee Maker", 7999, 11999),
	it("Starbucks Pike Place Roast K-Cup Pods, 32 Count", 1999, 2599),
	it("Apple AirPods Pro (2nd Generation) with USB-C", 18999, 24999),
	it("Anker 20W USB-C Fast Charger", 1299, 1999),
	it("Amazon Basics AA Alkaline Batteries, 48 Pack", 1499, 1899),
	it("LEGO Classic Large Creative Brick Box 10698", 4999, 5999),
	it("Crayola Crayons, 64 Count", 399, 599),
	it("Hydro Flask 32 oz Wide Mouth Water Bottle", 3995, 4495),
	it("Stanley Quencher H2.0 FlowState Tumbler, 40 oz", 3500, 4500),
	it("Instant Pot Duo 7-in-1 Electric Pressure Cooker, 6 Quart", 7999, 9999),
	it("Ninja Air Fryer AF101, 4 Quart", 7999, 9999),
	it("Mainstays 6-Piece Bath Towel Set", 1497, 1997),
	it("Hanes Men's ComfortSoft Crew T-Shirts, 6 Pack", 1999, 2499),
	it("Pampers Swaddlers Diapers, Size 3, 168 Count", 4799, 5499),
	it("Huggies Natural Care Baby Wipes, 12 Packs (768 Wipes)", 2199, 2599),
	it("Great Value Whole Vitamin D Milk, 1 Gallon", 329, 399),
	it("Cheerios Heart Healthy Cereal, Family Size, 18 oz", 479, 599),
	hsa("Advil Ibuprofen Tablets 200 mg, 200 Count", 1599, 1999),
	hsa("Band-Aid Adhesive Bandages Variety Pack, 30 Count", 499, 799),
	hsa("Zyrtec 24 Hour Allergy Relief Tablets, 45 Count", 2999, 3799),
	hsa("Neutrogena Ultra Sheer Dry-Touch Sunscreen SPF 70, 3 fl oz", 999, 1299),
	hsa("First Aid Only 299-Piece All-Purpose First Aid Kit", 1999, 2499),
	hsa("Omron Silver Upper Arm Blood Pressure Monitor", 4999, 5999),
	it("Nature Made Vitamin D3 2000 IU, 220 Softgels", 1299, 1699),
	it("Colgate Total Whitening Toothpaste, 4 Pack", 999, 1399),
	it("Fire TV Stick 4K with Alexa Voice Remote", 2499, 4999),
	it("Samsung 55\" Class Crystal UHD 4K Smart TV", 32999, 47999),
	it("Scotch Heavy Duty Shipping Packaging Tape, 6 Rolls", 1499, 1899),
	it("Sharpie Permanent Markers, Fine Point, 24 Count", 1299, 1699),
	it("Rubbermaid Brilliance Food Storage Containers, 10 Piece", 2999, 3999),
	it("Dyson V8 Cordless Stick Vacuum", 34999, 41999),
	it("Yankee Candle Balsam & Cedar Large Jar Candle", 2499, 3199),
	it("Kirkland Signature Organic Extra Virgin Olive Oil, 2 L", 1999, 2499),
}

var electronicsItems = []item{
	it("Apple MacBook Air 13\" M3 Chip, 8GB Memory, 256GB SSD", 99900, 109900),
	it("Apple iPad 10.9\" 64GB Wi-Fi", 34900, 44900),
	it("Samsung Galaxy S24 128GB Unlocked", 79999, 85999),
	it("Sony WH-1000XM5 Wireless Noise Canceling Headphones", 32999, 39999),
	it("Bose QuietComfort Ultra Earbuds", 24900, 29900),
	it("LG 65\" Class C3 Series OLED 4K UHD Smart TV", 149999, 179999),
	it("Insignia 50\" Class F30 Series LED 4K UHD Smart Fire TV", 22999, 27999),
	it("Nintendo Switch OLED Model", 34999, 34999),
	it("Sony PlayStation 5 Slim Console", 44999, 49999),
	it("Logitech MX Master 3S Wireless Mouse", 8999, 9999),
	it("Samsung 990 PRO 2TB PCIe 4.0 NVMe SSD", 15999, 19999),
	it("WD Elements 5TB Portable External Hard Drive", 11999, 13999),
	it("Apple Watch Series 9 GPS 41mm Aluminum Case", 32900, 39900),
	it("Google Nest Mini (2nd Generation)", 2999, 4999),
	it("Ring Battery Video Doorbell", 6999, 9999),
	it("Anker 737 Power Bank 24,000mAh", 8999, 10999),
	it("HP 67XL High-Yield Black Ink Cartridge", 3499, 3999),
	it("Best Buy essentials 6' 4K HDMI Cable", 1499, 1999),
	it("Geek Squad Protection, 2 Years", 2999, 12999),
	it("Canon EOS R50 Mirrorless Camera with RF-S 18-45mm Lens", 79999, 79999),
	it("Dell 27\" S2721QS 4K UHD Monitor", 27999, 32999),
	it("Corsair K70 RGB PRO Mechanical Gaming Keyboard", 12999, 16999),
	it("NETGEAR Nighthawk AX5400 Wi-Fi 6 Router", 19999, 24999),
	it("Apple AirPods Pro (2nd Generation) with USB-C", 18999, 24999),
	it("JBL Flip 6 Portable Waterproof Speaker", 9999, 12999),
}

var groceryItems = []item{
	it("Organic Bananas, 2 lb", 149, 249), it("Hass Avocados, 4 ct bag", 499, 699),
	it("Strawberries, 1 lb", 299, 499), it("Organic Baby Spinach, 5 oz", 299, 399),
	it("Honeycrisp Apples, 3 lb bag", 599, 799), it("Lemons, each", 69, 99),
	it("Yellow Onions, 3 lb bag", 299, 449), it("Russet Potatoes, 5 lb bag", 399, 549),
	it("Large Brown Eggs, 12 ct", 349, 599), it("Organic 2% Reduced Fat Milk, Half Gallon", 429, 549),
	it("Chobani Plain Whole Milk Greek Yogurt, 32 oz", 549, 649),
	it("Tillamook Sharp Cheddar Cheese Block, 2 lb", 899, 1099),
	it("Boneless Skinless Chicken Breasts, 1.5 lb", 699, 999), it("80/20 Ground Beef, 1 lb", 549, 699),
	it("Atlantic Salmon Fillet, 1 lb", 999, 1399), it("Dave's Killer Bread 21 Whole Grains and Seeds, 27 oz", 599, 699),
	it("Barilla Spaghetti, 16 oz", 179, 249), it("Rao's Homemade Marinara Sauce, 24 oz", 699, 899),
	it("Kerrygold Pure Irish Butter, 8 oz", 399, 499), it("Cheerios Cereal, 18 oz", 479, 599),
	it("LaCroix Sparkling Water Pamplemousse, 12 pk", 549, 699), it("Coca-Cola, 12 pk 12 fl oz Cans", 799, 999),
	it("Lay's Classic Potato Chips, Party Size", 549, 649), it("Ben & Jerry's Chocolate Chip Cookie Dough, 1 pt", 549, 649),
	it("Peet's Coffee Major Dickason's Blend Ground, 18 oz", 1199, 1499),
	it("Annie's Organic Shells & White Cheddar, 6 oz", 249, 349), it("Red Bull Energy Drink, 4 pk", 849, 999),
	it("Seventh Generation Dish Liquid Soap, 19 oz", 399, 499), it("Bounty Paper Towels, 6 Double Rolls", 1299, 1599),
	hsa("Claritin 24 Hour Non-Drowsy Allergy Tablets, 30 ct", 2499, 3199),
	hsa("Tylenol Extra Strength Caplets, 100 ct", 1099, 1399),
}

var menus = []menu{
	cuisinePizza: {[]string{"Joe's Pizza", "Domino's", "Pizza Hut", "&pizza", "Pieology"}, []item{
		it("Large Pepperoni Pizza", 1699, 2199), it("Medium Cheese Pizza", 1299, 1599), it("Margherita Pizza", 1599, 1899),
		it("Garlic Knots (6)", 499, 699), it("Buffalo Wings (10 pc)", 1199, 1499), it("Caesar Salad", 799, 999), it("2-Liter Coca-Cola", 349, 399)}},
	cuisineBurgers: {[]string{"Shake Shack", "Five Guys", "Smashburger", "McDonald's", "The Habit Burger Grill"}, []item{
		it("Cheeseburger", 899, 1199), it("Bacon Cheeseburger", 1099, 1399), it("French Fries (Large)", 399, 549),
		it("Chocolate Shake", 599, 749), it("Crispy Chicken Sandwich", 899, 1099), it("Chicken Nuggets (10 pc)", 599, 799)}},
	cuisineMexican: {[]string{"Chipotle Mexican Grill", "Taco Bell", "Tacombi", "El Farolito", "Qdoba"}, []item{
		it("Chicken Burrito", 1050, 1295), it("Steak Burrito Bowl", 1195, 1495), it("Chips & Guacamole", 499, 599),
		it("Carnitas Tacos (3)", 1095, 1295), it("Cheese Quesadilla", 995, 1195), it("Horchata", 349, 449)}},
	cuisineChinese: {[]string{"Panda Express", "P.F. Chang's", "Golden Dragon", "Hunan Garden"}, []item{
		it("Orange Chicken", 1095, 1395), it("Beef and Broccoli", 1295, 1595), it("Vegetable Lo Mein", 995, 1195),
		it("Pork Dumplings (6)", 795, 995), it("Egg Rolls (2)", 399, 599), it("Kung Pao Chicken", 1195, 1495)}},
	cuisineThai: {[]string{"Thai Basil Kitchen", "Lotus of Siam", "Pad Thai Express"}, []item{
		it("Pad Thai with Chicken", 1395, 1695), it("Green Curry with Tofu", 1495, 1795), it("Tom Yum Soup", 695, 895),
		it("Thai Iced Tea", 449, 549), it("Fresh Spring Rolls (2)", 695, 895), it("Drunken Noodles with Beef", 1495, 1795)}},
	cuisineSushi: {[]string{"Sushi Zen", "Blue Ribbon Sushi", "Sugarfish"}, []item{
		it("Spicy Tuna Roll", 895, 1095), it("California Roll", 795, 995), it("Salmon Nigiri (2 pc)", 695, 895),
		it("Miso Soup", 395, 495), it("Chef's Omakase Platter", 3995, 5495), it("Edamame", 495, 595)}},
	cuisineSalads: {[]string{"Sweetgreen", "CAVA", "Chopt"}, []item{
		it("Harvest Bowl", 1395, 1595), it("Kale Caesar Salad", 1195, 1395), it("Greens + Grains Bowl", 1295, 1495),
		it("Chicken + Rice Bowl", 1395, 1595), it("Pita Chips", 295, 395), it("Fresh Lemonade", 395, 495)}},
	cuisineCoffee: {[]string{"Starbucks", "Blue Bottle Coffee", "Dunkin'", "Peet's Coffee"}, []item{
		it("Caffè Latte, Grande", 495, 595), it("Iced Caramel Macchiato, Venti", 595, 695), it("Cold Brew, Grande", 445, 545),
		it("Butter Croissant", 345, 425), it("Bacon, Gouda & Egg Sandwich", 545, 645), it("Blueberry Muffin", 325, 395)}},
	cuisineIndian: {[]string{"Tandoor Palace", "Curry House", "Bombay Bistro"}, []item{
		it("Chicken Tikka Masala", 1595, 1895), it("Garlic Naan", 395, 495), it("Palak Paneer", 1395, 1695),
		it("Vegetable Samosas (2)", 595, 795), it("Lamb Biryani", 1795, 1995), it("Mango Lassi", 495, 595)}},
}

const (
	cuisinePizza = iota
	cuisineBurgers
	cuisineMexican
	cuisineChinese
	cuisineThai
	cuisineSushi
	cuisineSalads
	cuisineCoffee
	cuisineIndian
)

var petItems = []item{
	it("Purina Pro Plan Adult Chicken & Rice Formula Dry Dog Food, 35-lb bag", 6999, 7999),
	it("Blue Buffalo Life Protection Formula Adult Dry Dog Food, 30-lb bag", 6499, 7299),
	it("Fancy Feast Gravy Lovers Wet Cat Food Variety Pack, 24 cans", 2199, 2699),
	it("Tidy Cats Clumping Multi-Cat Litter, 35-lb jug", 1999, 2499),
	it("Greenies Original Regular Dental Dog Treats, 36 count", 3499, 4299),
	it("KONG Classic Dog Toy, Large", 1399, 1699), it("Hill's Science Diet Adult Indoor Dry Cat Food, 15.5-lb bag", 5999, 6999),
	it("Frisco 72-in Cat Tree", 6999, 8999), it("Milk-Bone Original Dog Biscuits, 10-lb box", 1599, 1999),
	it("Frontline Plus Flea & Tick Treatment for Dogs, 3 Doses", 4499, 5499), it("Nylabone Power Chew Dog Toy", 899, 1299),
}

var apparelItems = []item{
	it("Men's Classic Crew Neck T-Shirt", 1499, 2999), it("Women's High-Rise Skinny Jeans", 4999, 7999),
	it("Unisex Fleece Pullover Hoodie", 3999, 6999), it("Men's Running Shoes", 8999, 13999),
	it("Women's Dri-FIT Leggings", 4499, 6999), it("Men's Woven Athletic Shorts", 2499, 3999),
	it("Women's Lightweight Puffer Jacket", 7999, 12999), it("Cushioned Crew Socks, 6 Pack", 1999, 2499),
	it("Men's Pique Polo Shirt", 2999, 5999), it("Kids' Logo Baseball Cap", 1499, 2499),
}

var beautyItems = []item{
	it("Fenty Beauty Gloss Bomb Universal Lip Luminizer", 2100, 2100), it("Rare Beauty Soft Pinch Liquid Blush", 2300, 2300),
	it("Drunk Elephant Protini Polypeptide Cream, 1.69 oz", 6800, 6800), it("The Ordinary Niacinamide 10% + Zinc 1%, 1 oz", 600, 600),
	it("Olaplex No.3 Hair Perfector, 3.3 oz", 3000, 3000), it("CeraVe Hydrating Facial Cleanser, 16 oz", 1599, 1899),
	it("Charlotte Tilbury Matte Revolution Lipstick - Pillow Talk", 3500, 3500), it("Dior Sauvage Eau de Parfum, 3.4 oz", 13500, 13500),
	hsa("La Roche-Posay Anthelios Melt-In Milk Sunscreen SPF 60, 5 oz", 3699, 3699), it("Urban Decay All Nighter Setting Spray", 3600, 3600),
}

var homeItems = []item{
	it("DEWALT 20V MAX Cordless Drill/Driver Combo Kit", 9900, 15900), it("BEHR PREMIUM PLUS Interior Eggshell Paint, 1 Gallon", 3498, 3898),
	it("RYOBI ONE+ 18V Cordless Leaf Blower", 9900, 12900), it("Scotts Turf Builder Lawn Food, 12.5 lb", 2497, 3297),
	it("Philips 60W Equivalent Soft White LED Light Bulbs, 8 Pack", 1297, 1797), it("2 in. x 4 in. x 8 ft. Premium Kiln-Dried Stud", 398, 498),
	it("HDX 27 Gal. Tough Storage Tote", 1098, 1398), it("Moen Arbor Single-Handle Pull-Down Kitchen Faucet", 19900, 25900),
	it("5 ft. x 7 ft. Indoor Area Rug", 8999, 19999), it("Queen Upholstered Platform Bed Frame", 22999, 39999),
	it("3-Seat Sectional Sofa with Reversible Chaise", 59999, 99999), it("Husky 52 in. 9-Drawer Mobile Workbench", 29900, 39900),
}

var pharmacyItems = []item{
	hsa("Tylenol Extra Strength Caplets, 100 ct", 1099, 1399), hsa("Advil Liqui-Gels 200 mg, 80 ct", 1299, 1599),
	hsa("Claritin 24 Hour Non-Drowsy Allergy Tablets, 30 ct", 2499, 3199), hsa("Flonase Allergy Relief Nasal Spray, 144 Sprays", 2599, 2999),
	hsa("Mucinex 12 Hour Maximum Strength, 28 ct", 2599, 2999), hsa("Band-Aid Flexible Fabric Bandages, 30 ct", 549, 699),
	hsa("Vicks SpeedRead Digital Thermometer", 999, 1499), hsa("Nicorette Nicotine Gum 4 mg, 100 ct", 4999, 5999),
	hsa("Visine Red Eye Comfort Eye Drops, 0.5 fl oz", 599, 799), it("Nature Made Fish Oil 1200 mg, 100 Softgels", 1199, 1499),
	it("Crest 3D White Whitestrips, 20 Treatments", 4499, 4999), it("Cetaphil Daily Facial Cleanser, 16 oz", 1499, 1799),
	it("Kind Dark Chocolate Nuts & Sea Salt Bars, 6 ct", 799, 999), it("Poland Spring Water, 24 pk", 699, 899),
}
