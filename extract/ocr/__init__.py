"""OCR of scanned reports (PDFs without a text layer, TIFF/JPEG/PNG) with tesseract.

``pages`` renders or decodes the pages, ``preprocess`` suppresses the seal and turns back
the skew, ``layout`` cuts the ruled grid into cells, ``engine`` runs tesseract, and
``vocabulary`` corrects each cell to what its place in the form may hold; ``reader`` puts
them together into a :class:`extract.model.Document`. Nothing is imported here: OpenCV and
numpy load only when a scan is read.
"""
