import Kiln
